interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

interface ExpressLike {
  router?: { stack: RouterLayer[] };
}

/** Express's `all()` registers each of the ~30 methods Node knows; a real route has a handful. */
const ALL_METHODS_THRESHOLD = 20;

/**
 * Which methods the application serves on a path, read from Express's own router, so a request
 * with the wrong method on a known path can be answered 405 with an accurate `Allow` header.
 */
export function allowedMethods(app: ExpressLike, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of app.router?.stack ?? []) {
    if (!layer.route || !layer.match(path)) continue;
    const routeMethods = Object.entries(layer.route.methods).filter(([, enabled]) => enabled);
    // Routes registered for every method (`all()`: middleware mounted by Nest) never make a 405.
    if (routeMethods.length >= ALL_METHODS_THRESHOLD || layer.route.methods._all) continue;
    for (const [method] of routeMethods) {
      methods.add(method.toUpperCase());
      if (method === 'get') methods.add('HEAD');
    }
  }
  return [...methods].sort();
}
