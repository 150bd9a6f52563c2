// How the language server process is started: shared by the client (extension.ts) and the benchmark
// (scripts/bench.js), so the benchmark measures the process users get. No `vscode` import here.

/**
 * Node flags for the server process. A language server lives long and allocates in short bursts (one
 * parse per edit); left alone, V8 grows the young generation to 2 × 16 MB during a burst and keeps all
 * of it resident for the life of the process. A parse and lint of a typical php.ini allocates well under
 * 1 MB and keeps only the document, so 2 MB semi-spaces cost about half a millisecond per edit (measured
 * through the protocol) and save 3 MB against 4 MB ones.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];

/**
 * Environment for the server process (added to the inherited one). glibc's malloc raises its mmap
 * threshold each time a large block is freed (the bundle's source at start-up, a big document's
 * message), after which large blocks come from the main heap and stay resident once freed. Setting the
 * threshold (to its default, 128 KiB) turns that adjustment off, so large blocks go back to the system
 * when freed. Other C libraries ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
