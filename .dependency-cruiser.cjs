/**
 * Capability isolation (DESIGN.md "Dependency rules"): the module graph enforces the
 * safety model. `npm run lint` fails on any violation.
 */
const forbid = (name, comment, fromPath, toPaths) => ({
  name,
  comment,
  severity: 'error',
  from: { path: fromPath },
  to: { path: toPaths },
});

module.exports = {
  forbidden: [
    forbid('llm-cannot-act', 'the model cannot send, read the mailbox, or decide an approval', '^src/llm/', [
      '^src/outbox/',
      '^src/mailbox/',
      '^src/approvals/',
    ]),
    forbid('readers-cannot-send', 'reading mail and proposing never sends', '^src/(ingest|triage|skills)/', ['^src/outbox/']),
    forbid('base-imports-no-domain', 'shared/, config/ and db/ import no domain module', '^src/(shared|config|db)/', [
      '^src/(ingest|triage|skills|approvals|outbox|mailbox|journal|digest|jobs|llm|commands)/',
    ]),
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
