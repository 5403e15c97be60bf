import type { Caller, RegionHandle } from '../domain/ports';

export interface AppVariables {
  region: RegionHandle;
  caller: Caller;
  requestId: string;
}

export interface AppEnv {
  Variables: AppVariables;
}
