// Stylesheets the dashboard's script imports: esbuild bundles them into dashboard.css.
declare module '*.css';
