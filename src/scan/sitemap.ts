/**
 * The pages a sitemap lists (`--sitemap`): its `<loc>` addresses on the
 * sitemap's own origin, following a sitemap index one level down, at most
 * `maxPages` of them.
 */

/** A fault of the sitemap the owner must fix; the CLI prints it without a stack trace. */
export class SitemapError extends Error {}

const LOC = /<loc>\s*([^<]*?)\s*<\/loc>/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** The addresses in a sitemap's text, entities decoded. */
export function readLocations(xml: string): string[] {
  return [...xml.matchAll(LOC)].map((match) => match[1].replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]));
}

async function fetchText(url: string, timeout: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeout), redirect: 'follow' });
  } catch (error) {
    throw new SitemapError(`could not fetch the sitemap ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new SitemapError(`the sitemap ${url} answered HTTP ${response.status}`);
  return response.text();
}

/** The same-origin pages of the sitemap at `url` (an index's sitemaps are read too), at most `maxPages`. */
export async function pagesFromSitemap(url: string, maxPages: number, timeout = 30_000): Promise<string[]> {
  const origin = new URL(url).origin;
  const sameOrigin = (address: string) => {
    try {
      return new URL(address).origin == origin;
    } catch {
      return false;
    }
  };
  const text = await fetchText(url, timeout);
  if (!/<(urlset|sitemapindex)[\s>]/i.test(text)) throw new SitemapError(`${url} is not a sitemap (no <urlset> or <sitemapindex>)`);
  const pages = new Set<string>();
  const add = (list: string[]) => {
    for (const page of list.filter(sameOrigin)) if (pages.size < maxPages) pages.add(page);
  };
  if (/<sitemapindex[\s>]/i.test(text)) {
    for (const child of readLocations(text).filter(sameOrigin)) {
      if (pages.size >= maxPages) break;
      add(readLocations(await fetchText(child, timeout)));
    }
  } else add(readLocations(text));
  if (!pages.size) throw new SitemapError(`the sitemap ${url} lists no page on ${origin}`);
  return [...pages];
}
