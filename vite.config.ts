import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The browser app. `npm start` builds it into dist/client and Fastify serves it; `npm run dev`
// runs Vite with the API proxied to the server on port 3000.
// Two pages: index.html (the web app, React) and respondent.html (the anonymous survey page at
// /s/<code>, Preact, with its own size budget: scripts/respondent-size.mjs). The React plugin
// (Fast Refresh) stays out of the Preact files, which set their JSX runtime per file.
// The manifest lets the size check follow the respondent page's chunk graph.
/** In `npm run dev`, /s and /s/<code> are the respondent page (Fastify does the same in production). */
const respondentPages: Plugin = {
  name: 'schoolwell-respondent-pages',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/s(\/[^/?#]*)?\/?(\?.*)?$/.test(req.url)) req.url = '/respondent.html';
      next();
    });
  },
};

export default defineConfig({
  plugins: [react({ exclude: [/\/src\/respondent\//, /\/node_modules\//] }), respondentPages],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    manifest: true,
    // `rollupOptions` in the Vite docs of old; Vite 8 (Rolldown) names it `rolldownOptions`.
    rolldownOptions: { input: { main: 'index.html', respondent: 'respondent.html' } },
  },
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000', '/dev': 'http://localhost:3000' } },
});
