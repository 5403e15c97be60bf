import { expect, it } from 'vitest';
import { readNodeSettings } from '../../../src/config/node-env';
import { ConfigError } from '../../../src/config/settings';

it('refuses AUTH=off loudly: every call is signed', () => {
  expect(() => readNodeSettings({ AUTH: 'off' })).toThrow(ConfigError);
  expect(() => readNodeSettings({ AUTH: 'off' })).toThrow(
    /AUTH=off was removed: run `npm run admin -- bootstrap/,
  );
  expect(readNodeSettings({}).AUTH).toBe('signature');
});
