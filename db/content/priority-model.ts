/**
 * The versioned need and feasibility formulas of the wave planner (the
 * priority model), as data. Every plan records the version it used and saved
 * runs store the whole model, so a run's priorities can be recomputed from
 * its file alone. A change is a new version (a new file), never an edit.
 */
import { parsePriorityModel, type PriorityModel } from '../../scoring/priority.ts'
import priorityModelJson from './priority-model-v1.json' with { type: 'json' }

export const priorityModelV1: PriorityModel = parsePriorityModel(priorityModelJson)

/** The priority model new plans use. */
export const CURRENT_PRIORITY_MODEL: PriorityModel = priorityModelV1
