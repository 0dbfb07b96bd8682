/** The style sheet of report.html. */
export const PAGE_STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
p.subtitle, p.help { color: #555; margin: 4px 0; font-size: 14px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 20px; }
figure.panel { margin: 0; padding: 8px; border: 1px solid #e3e3e3; border-radius: 4px; }
#tooltip { position: fixed; z-index: 10; max-width: 420px; padding: 6px 8px;
  background: #fff; border: 1px solid #999; border-radius: 3px; font-size: 12px;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2); pointer-events: none; }
#tooltip b { font-weight: bold; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td:nth-child(2), td:nth-child(4), th:nth-child(2), th:nth-child(4) { text-align: left; }
td small { display: block; color: #666; font-size: 11px; }
td.level-high { background: #fde8c8; }
td.level-extreme { background: #f8c4c0; }
.table-wrap { max-height: 640px; overflow: auto; }
dl.params { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; font-size: 14px; }
dl.params dt { font-weight: bold; }
dl.params dd { margin: 0; }
`;
