// react-dom 18 ships `react-dom/server.browser` without its own types;
// @types/react-dom declares the same function under `react-dom/server`.
declare module 'react-dom/server.browser' {
  export { renderToReadableStream } from 'react-dom/server'
}
