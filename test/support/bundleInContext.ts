import { readFileSync } from 'node:fs';
import vm from 'node:vm';

/** What a workflow bundle exposes once loaded (`__TEMPORAL__`). */
export interface LoadedBundle {
  /** the bundle's preloaded modules (runtime/workflowBundle.ts), as the SDK loads them once a worker */
  preloadModules?: () => void;
  /** every module a workflow needs, as the SDK loads them for each new workflow */
  importWorkflows(): unknown;
}

/**
 * A workflow bundle loaded into a bare V8 context, its webpack module cache the one given, as the
 * SDK's reusable context loads it: for looking at which modules each journey gets of its own
 * (test/workflows/sharedModules.test.ts) and what they weigh (bench/moduleFootprint.ts).
 */
export function bundleInContext(codePath: string, moduleCache: object): LoadedBundle {
  const context = vm.createContext({
    console,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    AbortController,
  });
  Object.defineProperty(context, '__webpack_module_cache__', { value: moduleCache });
  vm.runInContext(readFileSync(codePath, 'utf8'), context);
  return vm.runInContext('__TEMPORAL__', context) as LoadedBundle;
}
