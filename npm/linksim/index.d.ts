/** The static site: link-initialize.js, the WebAssembly, embed.js and the demo, ready for any static host. */
export declare const distDir: string;

/** The name of the package holding a platform's linksim server: `@linksim/<platform>-<arch>` (this machine's by default). */
export declare function platformPackage(platform?: string, arch?: string): string;

/**
 * The path of this platform's linksim server: `LINKSIM_BINARY` when set, else the binary of
 * `@linksim/<platform>-<arch>`. Throws an error with `code: 'LINKSIM_NO_BINARY'` naming the
 * package when it is not installed.
 */
export declare function binaryPath(): string;
