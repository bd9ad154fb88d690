/**
 * The scoring engine's public API. Pure: no I/O, no clock, seeded randomness
 * only; the MILP solver is passed in by the caller.
 */
export * from './model-schema.ts'
export * from './score.ts'
export * from './answer-rules.ts'
export * from './priority.ts'
export * from './rank.ts'
export * from './wave.ts'
export * from './robustness.ts'
