import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  // Icons are copied as they are (the favicon is referenced from index.html).
  publicDir: fileURLToPath(new URL('../assets/icons', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // The page runs under a strict CSP (no inline script): keep every script an external file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
