/** The URL of Plaid's Link script, the one apps load: `https://cdn.plaid.com/link/v2/stable/link-initialize.js`. */
export declare const PLAID_LINK_URL: string;

/** What startLinksim's server logs, one JSON object a line (`msg`, `level`, and its fields). */
export interface LinksimLogEntry {
  msg: string;
  [field: string]: unknown;
}

export interface StartLinksimOptions {
  /** More flags for the server, e.g. `['-seed', '1']` (not `-addr` or `-log-format`, which the helper sets). */
  args?: string[];
  /** The server binary; default: this platform's (`binaryPath()` of `linksim`). */
  binary?: string;
  /** Milliseconds to wait for it to listen; default 30000. */
  timeout?: number;
  /** Called with each line the server logs. */
  onLog?: (entry: LinksimLogEntry) => void;
}

/** A linksim server started for a test. */
export interface LinksimServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`: the Plaid API (point your backend's client at it) and the Link page. */
  readonly url: string;
  /** The server's process (a Node ChildProcess). */
  readonly process: { readonly pid?: number; kill(signal?: string): boolean };
  /** Shuts it down gracefully (queued webhooks are sent); resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Runs linksim's server on a free loopback port and resolves once it listens. */
export declare function startLinksim(options?: StartLinksimOptions): Promise<LinksimServer>;

/** The part of a Playwright Route the helper uses. */
export interface RouteLike {
  request(): { url(): string };
  fetch(options?: any): Promise<any>;
  fulfill(options?: any): Promise<void>;
}

/** A Playwright Page or BrowserContext: anything with `route`. */
export interface Routable {
  route(url: string, handler: (route: RouteLike) => Promise<void>): Promise<unknown>;
}

export type RoutePlaidLinkOptions =
  /** Served mode: the script comes from this linksim server, which decides every step. */
  | { server: string | { url: string }; inPage?: false }
  /** In-page mode: the script and its WebAssembly come from this package, with no server. */
  | { server?: undefined; inPage?: true };

/**
 * Routes Plaid's Link script (`PLAID_LINK_URL`) to linksim: to a server (served mode), or to this
 * package's static files, flowcore running in the page (in-page mode, the default without a server).
 */
export declare function routePlaidLink(target: Routable, options?: RoutePlaidLinkOptions): Promise<void>;
