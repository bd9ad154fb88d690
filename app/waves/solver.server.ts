/**
 * The one HiGHS loader. The WASM module is loaded once per thread (the
 * request thread, and the robustness worker for its own draws), and only
 * when a wave needs the MILP path.
 */
import type { WaveSolver } from '../../scoring/wave.ts'

let solver: Promise<WaveSolver> | undefined

/** HiGHS (WASM), loaded on first use and kept for the life of the thread. */
export function getSolver(): Promise<WaveSolver> {
  solver ??= import('highs').then((m) => m.default())
  return solver
}
