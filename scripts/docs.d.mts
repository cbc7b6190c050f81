/** The reference pages, path (relative to `root`, with `/`) → Markdown; throws when the build's output is missing. */
export function generate(root?: string): Map<string, string>;
