/**
 * One client per cluster name, built once by both connectors. A build that fails is not kept: a later
 * connect may find a fixed kubeconfig context or connection secret, and a batch run connects each
 * cluster again on its next attempt.
 */
export class ClientCache<T> {
  private readonly clients = new Map<string, Promise<T>>();

  /** The client built for `name`, building it with `build` when none is held (or the last build failed). */
  get(name: string, build: () => Promise<T>): Promise<T> {
    const held = this.clients.get(name);
    if (held !== undefined) return held;
    const client = build();
    this.clients.set(name, client);
    // evict only this build: the handler swallows the rejection here, callers still see it
    client.catch(() => {
      if (this.clients.get(name) === client) this.clients.delete(name);
    });
    return client;
  }
}
