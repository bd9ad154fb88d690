/**
 * Every namespace file of one language in one module: the browser loads only
 * the reader's language, in one request (app/i18n.ts names the namespaces).
 */
export default import.meta.glob<Record<string, unknown>>('./vi/*.json', {
  eager: true,
  import: 'default',
})
