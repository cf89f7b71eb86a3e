import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser app. `npm start` builds it into dist/client and Fastify serves it; `npm run dev`
// runs Vite with the API proxied to the server on port 3000.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/client', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000', '/dev': 'http://localhost:3000' } },
});
