/**
 * The shipped cost table of remedial actions (version 1), as versioned data
 * (`remedial-costs-v1.json`). Every figure in it is an estimate, marked so
 * row by row; administrators replace figures by saving a new version.
 */
import { parseRemedialCostTable, type RemedialCostTable } from '../../scoring/uplift.ts'
import remedialCostsJson from './remedial-costs-v1.json' with { type: 'json' }

export const remedialCostsV1: RemedialCostTable = parseRemedialCostTable(remedialCostsJson)
