// The two lines a VitePress site needs for linksim's widget: Vue must
// leave <linksim-demo> to the browser (or it drops it from the static HTML
// and reports a hydration mismatch), and the page loads embed.js, which
// `make dist` (or `npx linksim dist`) puts in public/linksim/.
export default {
  title: 'Acme Pay docs',
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag === 'linksim-demo' } } },
  head: [['script', { type: 'module', src: '/linksim/embed.js' }]],
};
