/**
 * The font files that the figures are drawn with. resvg loads exactly these files and no
 * system fonts, so a PNG comes out the same on every machine that has them.
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Family name that the chart specs ask for; DejaVu Sans provides it. */
export const FONT_FAMILY = "DejaVu Sans";

/**
 * Font list for SVG viewers: browsers that lack DejaVu Sans fall back to their own sans-serif
 * font, and draw emoji in colour from their emoji font.
 */
export const SVG_FONT_STACK = `'${FONT_FAMILY}', Verdana, sans-serif`;

/** Folder of the Debian package fonts-dejavu-core's files. */
export const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";

/** Files that resvg needs, checked by `fontFiles()`. */
export interface FontFiles {
  regular: string;
  bold: string;
  /** An outline (one-colour) emoji font, so that labels such as "🚨" are drawn. */
  emoji: string;
}

/**
 * Returns the font files, or throws naming the missing file and the package that provides it.
 *
 * The emoji font is Noto Emoji from the npm package @expo-google-fonts/noto-emoji. The colour
 * font NotoColorEmoji.ttf (Debian fonts-noto-color-emoji) keeps its glyphs as PNG bitmaps,
 * which resvg-js 2.6.2 does not draw. Symbola (fonts-symbola) has the emoji but also Latin
 * letters, so resvg-js 2.6.2 sets the whole label in Symbola.
 */
export function fontFiles(dejavuDir = DEJAVU_DIR): FontFiles {
  const files: FontFiles = {
    regular: join(dejavuDir, "DejaVuSans.ttf"),
    bold: join(dejavuDir, "DejaVuSans-Bold.ttf"),
    emoji: emojiFontPath(),
  };
  for (const path of [files.regular, files.bold]) {
    if (!existsSync(path)) {
      throw new Error(
        `font file not found: ${path}; install the Debian package fonts-dejavu-core ` +
          "(apt-get install -y fonts-dejavu-core)",
      );
    }
  }
  if (!existsSync(files.emoji)) {
    throw new Error(
      `font file not found: ${files.emoji}; install the npm package ` +
        "@expo-google-fonts/noto-emoji (npm install)",
    );
  }
  return files;
}

function emojiFontPath(): string {
  const relative = "400Regular/NotoEmoji_400Regular.ttf";
  let main: string;
  try {
    main = fileURLToPath(import.meta.resolve("@expo-google-fonts/noto-emoji"));
  } catch {
    return join("node_modules/@expo-google-fonts/noto-emoji", relative);
  }
  return join(dirname(main), relative);
}
