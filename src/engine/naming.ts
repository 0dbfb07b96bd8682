/**
 * Cluster names from the data: what sets each cluster apart from all rows. Names are
 * deterministic and never depend on the cluster number alone.
 */

import type { FeatureSpec } from "./features.js";
import type { Profiles } from "./profiles.js";

export const NOISE_NAME = "Absolutely Not 🚨";

/** A feature must sit this many overall spreads from the overall median to be named. */
const NOTABLE_EFFECT = 0.5;
const MAX_TRAITS = 2;

/** Fills in `name` on every cluster profile and on the noise profile. */
export function nameClusters(profiles: Profiles, features: readonly FeatureSpec[]): void {
  profiles.noise.name = NOISE_NAME;
  const taken = new Set<string>([NOISE_NAME]);
  for (const cluster of profiles.clusters) {
    const traits = describeCluster(cluster.features, profiles.overall.features, features);
    let name = joinTraits(traits.slice(0, MAX_TRAITS + 1));
    // Add traits until the name is unique, then fall back to the number.
    for (let extra = MAX_TRAITS + 2; taken.has(name) && extra <= traits.length + 1; extra++) {
      name = joinTraits(traits.slice(0, extra));
    }
    if (taken.has(name)) name = `${name} #${cluster.id}`;
    taken.add(name);
    cluster.name = name;
  }
}

/** Returns words for the cluster: a time of day first when one applies, then traits by strength. */
function describeCluster(
  cluster: Profiles["overall"]["features"],
  overall: Profiles["overall"]["features"],
  features: readonly FeatureSpec[],
): string[] {
  const words: string[] = [];
  const traits: { word: string; effect: number }[] = [];
  features.forEach((spec, k) => {
    if (spec.period === 24) {
      words.push(timeOfDay(cluster[k].median, cluster[k].spread));
      return;
    }
    if (spec.period) return;
    const spread = overall[k].spread;
    if (!(spread > 0)) return;
    const effect = (cluster[k].median - overall[k].median) / spread;
    if (Math.abs(effect) < NOTABLE_EFFECT) return;
    const label = (spec.label ?? spec.name).toLowerCase();
    const word = effect > 0 ? (spec.high ?? `high ${label}`) : (spec.low ?? `low ${label}`);
    traits.push({ word, effect: Math.abs(effect) });
  });
  traits.sort((a, b) => b.effect - a.effect || a.word.localeCompare(b.word));
  return [...words, ...traits.map((t) => t.word)];
}

function joinTraits(traits: string[]): string {
  if (traits.length === 0) return "Typical";
  const text = traits.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Names the part of the day around `hour`; "all-day" when the hours spread widely. */
function timeOfDay(hour: number, spread: number): string {
  if (spread > 4) return "all-day";
  if (hour >= 5 && hour < 11) return "morning";
  if (hour >= 11 && hour < 14) return "lunchtime";
  if (hour >= 14 && hour < 17) return "afternoon";
  if (hour >= 17 && hour < 21) return "evening";
  return "late-night";
}
