import { Random } from "../../src/data/random.js";

/** Returns a seeded generator for test data, so every run gets the same points. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** Blobs of points in `dims` dimensions plus uniform scatter, rounded to a grid so ties occur. */
export function blobs(rows: number, dims: number, seed: number, grid = 0): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) {
    const centre = Math.floor(random() * 4);
    const scatter = random() < 0.1;
    for (let k = 0; k < dims; k++) {
      let x = scatter ? random() * 10 : centre * 2.5 + (random() + random() + random() - 1.5) * (0.4 + centre * 0.2);
      if (grid > 0) x = Math.round(x / grid) * grid;
      out[i * dims + k] = x;
    }
  }
  return out;
}
