/** The few d3 symbols test/unit/webview/symbols.test.ts compares with (d3 comes with Observable Plot, without types). */
declare module 'd3' {
  interface SymbolType {
    draw(context: unknown, size: number): void;
  }
  export const symbolCircle: SymbolType;
  export const symbolSquare: SymbolType;
  export const symbolTriangle: SymbolType;
  export const symbolTimes: SymbolType;
}
