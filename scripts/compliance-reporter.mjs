// A node:test reporter for `npm run compliance`: one JSON line per finished
// test or suite (`{ file, name, nesting, type, status }`), in the order the
// runner reports them (children before their parent). scripts/compliance.mjs
// rebuilds the tree from `nesting` and maps titles starting `item NN: ` to the
// checklist.

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* complianceReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    let status = event.type === 'test:pass' ? 'pass' : 'fail';
    if (data.skip !== undefined && data.skip !== false) status = 'skip';
    else if (data.todo !== undefined && data.todo !== false) status = 'todo';
    const error = status === 'fail' ? String(data.details?.error?.cause?.message ?? data.details?.error?.message ?? '') : '';
    yield `${JSON.stringify({
      file: data.file ?? '',
      name: data.name,
      nesting: data.nesting,
      type: data.details?.type === 'suite' ? 'suite' : 'test',
      status,
      error: error.split('\n')[0].slice(0, 200),
    })}\n`;
  }
}
