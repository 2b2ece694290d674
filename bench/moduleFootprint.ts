import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { bundleInContext } from '../test/support/bundleInContext';
import { round } from './stats';

/**
 * Why a cached journey weighs what it does: with the SDK's reusable V8 context (the default), every
 * workflow gets its own webpack module cache, so each cached journey instantiates its own copy of
 * every module in the bundle but those the bundle preloads (runtime/workflowBundle.ts), which the
 * worker instantiates once and every journey shares. This loads the journey
 * bundle in a bare V8 context, instantiates its modules again and again with fresh caches, and
 * reports the heap each instantiation keeps, in total and per package (each package measured as
 * what it adds when it is instantiated together with this project's own modules).
 */

export interface ModuleFootprint {
  /** heap kept per workflow by a fresh instance of every module of the bundle */
  allModulesKB: number;
  /** … of this project's modules alone (machines/, workflows/, activities/ types), libraries shared */
  projectModulesKB: number;
  /** what each library adds per workflow on top of the project's modules */
  byPackageKB: Record<string, number>;
  /** each journey's own modules, by package */
  modulesByPackage: Record<string, number>;
  /** the modules the bundle preloads, instantiated once a worker and shared by every journey, by package */
  sharedModulesByPackage?: Record<string, number>;
  instancesPerMeasure: number;
  /**
   * CPU a new workflow spends instantiating the bundle's modules (mean over the instances, ms): every
   * journey a worker starts or rebuilds pays it in the workflow thread before its first activation
   */
  instantiateMs?: { all: number; project: number };
}

const packages = ['zod', 'xstate', '@date-fns/tz', 'date-fns', '@temporalio/workflow', '@temporalio/common'];

function packageOf(id: string): string {
  const m = /^\.\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  return m ? (m[1] as string) : id.split('/').slice(0, 2).join('/');
}

const isProject = (id: string) => ['./machines', './workflows', './activities'].some((p) => id.startsWith(p));

export function measureModuleFootprint(bundlePath: string, instances = 40): ModuleFootprint {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  let target: Record<string, unknown> = {};
  const cache = new Proxy(
    {},
    {
      get: (_, p: string) => target[p],
      set: (_, p: string, v) => {
        target[p] = v;
        return true;
      },
      deleteProperty: (_, p: string) => delete target[p],
    },
  );
  const temporal = bundleInContext(bundlePath, cache);

  // What the bundle preloads (runtime/workflowBundle.ts) is instantiated once for the worker, as
  // the SDK does, and shared by every instance below; the rest is each journey's own.
  target = {};
  temporal.preloadModules?.();
  const shared = { ...target };
  const sharedIds = new Set(Object.keys(shared));
  target = { ...shared };
  temporal.importWorkflows();
  const first = { ...target };
  const ids = Object.keys(first).filter((id) => !sharedIds.has(id));

  const timesMs: Record<string, number> = {};
  const perInstanceKB = (fresh: (id: string) => boolean, label?: string): number => {
    const kept: Record<string, unknown>[] = [];
    const before = heap();
    let busy = 0;
    for (let i = 0; i < instances; i++) {
      target = { ...shared };
      for (const id of ids) if (!fresh(id)) target[id] = first[id];
      const t = performance.now();
      temporal.importWorkflows();
      busy += performance.now() - t;
      kept.push(target);
    }
    const after = heap();
    target = {};
    if (label) timesMs[label] = round(busy / instances, 2);
    return kept.length ? (after - before) / kept.length / 1024 : 0;
  };

  const all = perInstanceKB(() => true, 'all');
  const project = perInstanceKB(isProject, 'project');
  const byPackageKB: Record<string, number> = {};
  for (const p of packages) {
    byPackageKB[p] = round(perInstanceKB((id) => isProject(id) || packageOf(id) === p) - project, 0);
  }
  const modulesByPackage: Record<string, number> = {};
  for (const id of ids) modulesByPackage[packageOf(id)] = (modulesByPackage[packageOf(id)] ?? 0) + 1;
  const sharedModulesByPackage: Record<string, number> = {};
  for (const id of sharedIds) {
    sharedModulesByPackage[packageOf(id)] = (sharedModulesByPackage[packageOf(id)] ?? 0) + 1;
  }
  return {
    allModulesKB: round(all, 0),
    projectModulesKB: round(project, 0),
    byPackageKB,
    modulesByPackage,
    sharedModulesByPackage,
    instancesPerMeasure: instances,
    instantiateMs: { all: timesMs.all ?? Number.NaN, project: timesMs.project ?? Number.NaN },
  };
}
