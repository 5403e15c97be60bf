import { Hono } from 'hono';
import { getEmailConfiguration } from '../../domain/configuration/get';
import type { ConsoleEnv } from './console-env';
import { Page } from './layout';
import { attempt, frameOf, scopeOf, type ConsolePageDeps } from './page-parts';

export function configurationPage(deps: ConsolePageDeps) {
  return new Hono<ConsoleEnv>().get('/', async (c) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const frame = await frameOf(
      deps,
      c,
      t.emailConfiguration,
      '/console/configuration',
      region.id,
      compartmentId,
    );
    const listener = deps.smtpListeners?.get(region.id);
    const where = {
      baseDomain: deps.baseDomain,
      origin: new URL(c.req.url).origin,
      smtpListener: listener,
      configuredSmtpEndpoint: deps.smtpEndpoints?.get(region.id),
    };
    const result = await attempt(() => getEmailConfiguration(region, c.var.caller, compartmentId, where));
    return c.html(
      <Page {...frame} notice={'error' in result ? { text: t.notFound, error: true } : undefined}>
        {'value' in result && (
          <table>
            <tbody>
              <tr>
                <th scope="row">{t.httpsEndpoint}</th>
                <td>
                  <code>{result.value.httpSubmitEndpoint}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">{t.smtpEndpoint}</th>
                <td>
                  <code>{result.value.smtpSubmitEndpoint}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">{t.smtpPorts}</th>
                <td>25, 587 (STARTTLS)</td>
              </tr>
              {listener && (
                <tr>
                  <th scope="row">{t.localPorts}</th>
                  <td>
                    {listener.host ?? '*'}:{listener.port}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        <p>{t.tlsRequired}</p>
      </Page>,
    );
  });
}
