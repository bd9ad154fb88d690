/**
 * Answers encoded once into numbers, scored many times (issue #17).
 *
 * `scoreComposites` reads SurveyJS-style answer objects: one or two keyed
 * lookups per item plus the rule's type checks, about 13× a plain typed-array
 * loop. Here the answers of many facilities are encoded once into a compact
 * numeric matrix, and each model then scores that matrix through lookup
 * tables compiled from its items.
 *
 * The encoding does not depend on any weight, score or threshold: only on
 * which questions are read and how (question ids, rule kinds, choice and
 * option lists, the `applicableIf` values, the N/A and "don't know" tokens).
 * So one encoding serves every model version of the same questionnaire: the
 * layout is built from the list of models that will score it.
 *
 * Cells: facility f, column c sits at index f·columns + c of two parallel
 * arrays, `states` (Uint8Array) and `values` (Float64Array). Row-major because
 * a facility is scored as one row (its item codes feed the engine's one
 * aggregation, `summarizeItemCodes`), so each row is read contiguously.
 * States: 0 a value, 1 the N/A token, 2 the "don't know" token, 3 blank
 * (undefined, null or ''), 4 an answer that does not fit the column (scores as
 * missing, like `scoreAssessment`'s `invalid`). Values, by column kind:
 * - choice: the index of the answer in the column's offered values (numbers
 *   map through their string form, as the engine does);
 * - yesNo: 1 for "yes", 0 for "no";
 * - number, percentage (0–100), denominator (of a `per` ratio, ≥ 0): the number;
 * - checklist: k = the number of distinct known options picked, or −1 for the
 *   "none" option alone;
 * - status (the companion question holding the tokens): the state alone;
 * - condition (an `applicableIf` question): the bit mask of the column's
 *   values the answer equals (any of them, for a list answer).
 */
import type { Item, ScoringModel } from './model-schema.ts'
import {
  checkGateOverrides,
  choiceKey,
  DONT_KNOW,
  linear,
  MISSING,
  NOT_APPLICABLE,
  resolveAnswer,
  scoreItemCodeRows,
  toBasisPoints,
  type Answers,
} from './score.ts'

export const CELL_VALUE = 0
export const CELL_NOT_APPLICABLE = 1
export const CELL_DONT_KNOW = 2
export const CELL_BLANK = 3
export const CELL_INVALID = 4

/** Condition values are a bit mask in an int32: at most 31 per question. */
const MAX_CONDITION_VALUES = 31

export type ConditionValue = string | number | boolean

export type LayoutColumn =
  | { kind: 'choice'; question: string; values: readonly string[] }
  | { kind: 'yesNo'; question: string }
  | { kind: 'percentage'; question: string }
  | { kind: 'number'; question: string }
  | { kind: 'checklist'; question: string; options: readonly string[]; noneValue: string | null }
  | { kind: 'status'; question: string }
  | { kind: 'condition'; question: string; values: readonly ConditionValue[] }
  | { kind: 'denominator'; question: string }

export interface AnswerLayout {
  questionnaireVersion: string
  tokens: { notApplicable: string; dontKnow: string }
  columns: readonly LayoutColumn[]
}

export interface EncodedAnswers {
  layout: AnswerLayout
  /** Facilities (rows). */
  count: number
  /** State of each cell, row-major (f·columns + c). */
  states: Uint8Array
  /** Value of each cell, row-major; 0 where the state is not a value. */
  values: Float64Array
}

/** One column per (question, way of reading it); checklists also by their option list. */
function columnKey(column: LayoutColumn): string {
  return column.kind === 'checklist'
    ? `checklist\u0000${column.question}\u0000${JSON.stringify([column.options, column.noneValue])}`
    : `${column.kind}\u0000${column.question}`
}

function distinct<T>(list: readonly T[]): T[] {
  return list.filter((v, i) => list.indexOf(v) === i)
}

/** The columns one item reads, with the model's own values for the merged kinds. */
function itemColumns(item: Item): LayoutColumn[] {
  const rule = item.rule
  const columns: LayoutColumn[] = []
  switch (rule.type) {
    case 'choice':
      columns.push({ kind: 'choice', question: item.id, values: Object.keys(rule.scores) })
      break
    case 'checklist':
      columns.push({
        kind: 'checklist',
        question: item.id,
        options: distinct(rule.options),
        noneValue: rule.noneValue ?? null,
      })
      break
    case 'number':
      columns.push({ kind: 'number', question: item.id })
      if (rule.per) columns.push({ kind: 'denominator', question: rule.per.question })
      break
    default:
      columns.push({ kind: rule.type, question: item.id })
  }
  if (item.statusQuestion !== undefined) {
    columns.push({ kind: 'status', question: item.statusQuestion })
  }
  if (item.applicableIf) {
    columns.push({
      kind: 'condition',
      question: item.applicableIf.question,
      values: distinct(item.applicableIf.in),
    })
  }
  return columns
}

/**
 * The columns that every one of `models` reads, each once: choice values and
 * condition values are the union over the models, in first-seen order. The
 * models must score the same questionnaire with the same N/A and "don't know"
 * tokens (an error names the one that does not).
 * @example answerLayout([oldModel, newModel]).columns.length // 97
 */
export function answerLayout(models: readonly ScoringModel[]): AnswerLayout {
  const first = models[0]
  if (first === undefined) throw new Error('an answer layout needs at least one model')
  const byKey = new Map<string, LayoutColumn>()
  for (const model of models) {
    if (model.questionnaireVersion !== first.questionnaireVersion) {
      throw new Error(
        `model ${model.id} ${model.version} scores questionnaire ${model.questionnaireVersion}, not ${first.questionnaireVersion}`,
      )
    }
    const { notApplicable, dontKnow } = model.tokens
    if (notApplicable !== first.tokens.notApplicable || dontKnow !== first.tokens.dontKnow) {
      throw new Error(
        `model ${model.id} ${model.version} uses other N/A and "don't know" tokens than ${first.id} ${first.version}`,
      )
    }
    for (const item of model.items) {
      for (const column of itemColumns(item)) {
        const key = columnKey(column)
        const known = byKey.get(key)
        if (known === undefined) byKey.set(key, column)
        else if (known.kind === 'choice' && column.kind === 'choice') {
          byKey.set(key, { ...known, values: distinct([...known.values, ...column.values]) })
        } else if (known.kind === 'condition' && column.kind === 'condition') {
          byKey.set(key, { ...known, values: distinct([...known.values, ...column.values]) })
        }
      }
    }
  }
  for (const column of byKey.values()) {
    if (column.kind === 'condition' && column.values.length > MAX_CONDITION_VALUES) {
      throw new Error(
        `question "${column.question}" is tested against ${column.values.length} values by applicableIf; the encoding holds at most ${MAX_CONDITION_VALUES}`,
      )
    }
  }
  return {
    questionnaireVersion: first.questionnaireVersion,
    tokens: { ...first.tokens },
    columns: [...byKey.values()],
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

/** Per-column lookups for encoding, built once per `encodeAnswers` call. */
type ColumnEncoder =
  | { column: Exclude<LayoutColumn, { kind: 'choice' | 'checklist' }> }
  | { column: Extract<LayoutColumn, { kind: 'choice' }>; index: ReadonlyMap<string, number> }
  | { column: Extract<LayoutColumn, { kind: 'checklist' }>; options: ReadonlySet<string> }

/** Distinct known options picked, −1 for "none" alone, or null when the list does not fit. */
function checklistCount(
  list: readonly unknown[],
  options: ReadonlySet<string>,
  noneValue: string | null,
): number | null {
  let picked = 0
  let none = false
  for (let k = 0; k < list.length; k++) {
    const v = list[k]
    if (typeof v === 'string' && options.has(v)) {
      if (list.indexOf(v) === k) picked++
    } else if (noneValue !== null && v === noneValue) none = true
    else return null
  }
  if (none && picked > 0) return null
  return none ? -1 : picked
}

/** Writes the state and value of one cell; the rules mirror `scoreAssessment`'s reading. */
function encodeCell(
  encoder: ColumnEncoder,
  tokens: AnswerLayout['tokens'],
  raw: unknown,
  states: Uint8Array,
  values: Float64Array,
  at: number,
): void {
  const column = encoder.column
  if (column.kind === 'condition') {
    let mask = 0
    const list: readonly unknown[] = Array.isArray(raw) ? raw : [raw]
    column.values.forEach((v, j) => {
      if (list.some((a) => a === v)) mask |= 1 << j
    })
    states[at] = CELL_VALUE
    values[at] = mask
    return
  }
  if (column.kind === 'denominator') {
    // Tokens mean nothing to a denominator: a blank leaves the ratio unknown, a non-number is invalid.
    if (isBlank(raw)) states[at] = CELL_BLANK
    else if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) states[at] = CELL_INVALID
    else {
      states[at] = CELL_VALUE
      values[at] = raw
    }
    return
  }
  if (raw === tokens.notApplicable) {
    states[at] = CELL_NOT_APPLICABLE
    return
  }
  if (raw === tokens.dontKnow) {
    states[at] = CELL_DONT_KNOW
    return
  }
  if (isBlank(raw)) {
    states[at] = CELL_BLANK
    return
  }
  let value: number | null = null
  switch (column.kind) {
    case 'status':
      // Only the tokens count on a status question; anything else is as good as no status.
      value = 0
      break
    case 'choice': {
      const key = choiceKey(raw)
      value = 'index' in encoder && key !== undefined ? (encoder.index.get(key) ?? null) : null
      break
    }
    case 'yesNo':
      value = raw === 'yes' ? 1 : raw === 'no' ? 0 : null
      break
    case 'percentage':
      value = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 && raw <= 100 ? raw : null
      break
    case 'number':
      value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null
      break
    case 'checklist':
      value =
        Array.isArray(raw) && 'options' in encoder
          ? checklistCount(raw, encoder.options, column.noneValue)
          : null
      break
  }
  if (value === null) states[at] = CELL_INVALID
  else {
    states[at] = CELL_VALUE
    values[at] = value
  }
}

/**
 * Encode the answers of many facilities once (at load or save), for
 * `scoreEncoded` under any model the layout was built from. `verified`, when
 * given, holds each facility's reviewer-verified values (or undefined), read
 * through the engine's one resolution, `resolveAnswer`.
 * Memory: 9 bytes per cell (Float64 value + Uint8 state), count × columns cells.
 * @example encodeAnswers(answerLayout([model]), [answersA, answersB]).count // 2
 */
export function encodeAnswers(
  layout: AnswerLayout,
  answersList: readonly Answers[],
  verifiedList?: readonly (Answers | undefined)[],
): EncodedAnswers {
  if (verifiedList !== undefined && verifiedList.length !== answersList.length) {
    throw new Error(
      `${verifiedList.length} verified value sets for ${answersList.length} answer sets`,
    )
  }
  const width = layout.columns.length
  const count = answersList.length
  const states = new Uint8Array(count * width)
  const values = new Float64Array(count * width)
  const encoders: ColumnEncoder[] = layout.columns.map((column) =>
    column.kind === 'choice'
      ? { column, index: new Map(column.values.map((v, j) => [v, j])) }
      : column.kind === 'checklist'
        ? { column, options: new Set(column.options) }
        : { column },
  )
  for (let f = 0; f < count; f++) {
    const answers = answersList[f] ?? {}
    const verified = verifiedList?.[f]
    for (let c = 0; c < width; c++) {
      const encoder = encoders[c]
      if (encoder === undefined) continue
      const raw = resolveAnswer(answers, verified, encoder.column.question)
      encodeCell(encoder, layout.tokens, raw, states, values, f * width + c)
    }
  }
  return { layout, count, states, values }
}

// Rule kinds of the compiled items.
const CHOICE = 0
const YES_NO = 1
const PERCENTAGE = 2
const NUMBER = 3
const CHECKLIST = 4

/** One item of a model compiled against a layout: column positions and its rule's constants. */
interface ItemProgram {
  kind: number
  value: number
  /** −1 when the item has no status question, applicableIf or `per` denominator. */
  status: number
  condition: number
  denominator: number
  /** Bits of the condition column's values that make the item applicable. */
  conditionMask: number
  allowNotApplicable: boolean
  allowDontKnow: boolean
  /** choice: score of each offered value by its index; MISSING where this model has none. */
  table: Float64Array
  yes: number
  no: number
  floor: number
  target: number
  perUnit: number
  /** checklist: distinct options; whether it has a "none" value. */
  size: number
  hasNone: boolean
}

const programs = new WeakMap<AnswerLayout, WeakMap<ScoringModel, ItemProgram[]>>()

function compileItems(model: ScoringModel, layout: AnswerLayout): ItemProgram[] {
  const perLayout = programs.get(layout) ?? new WeakMap<ScoringModel, ItemProgram[]>()
  programs.set(layout, perLayout)
  const cached = perLayout.get(model)
  if (cached) return cached
  const name = `model ${model.id} ${model.version}`
  if (
    model.questionnaireVersion !== layout.questionnaireVersion ||
    model.tokens.notApplicable !== layout.tokens.notApplicable ||
    model.tokens.dontKnow !== layout.tokens.dontKnow
  ) {
    throw new Error(`${name} does not read answers the way this encoding was made`)
  }
  const positions = new Map(layout.columns.map((column, c) => [columnKey(column), c]))
  const find = (column: LayoutColumn): number => {
    const c = positions.get(columnKey(column))
    const found = c === undefined ? undefined : layout.columns[c]
    if (c === undefined || found === undefined) {
      throw new Error(
        `${name} reads "${column.question}" as ${column.kind}, which this encoding does not hold`,
      )
    }
    // Merged columns must offer every value this model reads, or its answers were encoded as invalid.
    if (
      (column.kind === 'choice' && found.kind === 'choice') ||
      (column.kind === 'condition' && found.kind === 'condition')
    ) {
      const offered: readonly ConditionValue[] = found.values
      const missing = column.values.find((v) => !offered.includes(v))
      if (missing !== undefined) {
        throw new Error(
          `${name} reads "${column.question}" value ${JSON.stringify(missing)}, which this encoding does not hold`,
        )
      }
    }
    return c
  }
  const compiled = model.items.map((item): ItemProgram => {
    const rule = item.rule
    const [own, ...rest] = itemColumns(item)
    if (own === undefined) throw new Error(`${name}: item "${item.id}" reads no column`)
    const valueColumn = find(own)
    const positionOf = (kind: LayoutColumn['kind']) => {
      const column = rest.find((r) => r.kind === kind)
      return column === undefined ? -1 : find(column)
    }
    const condition = positionOf('condition')
    const conditionColumn = condition < 0 ? undefined : layout.columns[condition]
    let conditionMask = 0
    if (item.applicableIf && conditionColumn?.kind === 'condition') {
      conditionColumn.values.forEach((v, j) => {
        if (item.applicableIf?.in.some((w) => w === v)) conditionMask |= 1 << j
      })
    }
    const layoutColumn = layout.columns[valueColumn]
    const choiceValues = layoutColumn?.kind === 'choice' ? layoutColumn.values : []
    const scores = rule.type === 'choice' ? new Map(Object.entries(rule.scores)) : null
    return {
      kind:
        rule.type === 'choice'
          ? CHOICE
          : rule.type === 'yesNo'
            ? YES_NO
            : rule.type === 'percentage'
              ? PERCENTAGE
              : rule.type === 'number'
                ? NUMBER
                : CHECKLIST,
      value: valueColumn,
      status: positionOf('status'),
      condition,
      denominator: positionOf('denominator'),
      conditionMask,
      allowNotApplicable: item.allowNotApplicable,
      allowDontKnow: item.allowDontKnow,
      table: Float64Array.from(choiceValues, (v) => scores?.get(v) ?? MISSING),
      yes: rule.type === 'yesNo' ? rule.yes : 0,
      no: rule.type === 'yesNo' ? rule.no : 0,
      floor: rule.type === 'number' || rule.type === 'percentage' ? rule.floor : 0,
      target: rule.type === 'number' || rule.type === 'percentage' ? rule.target : 1,
      perUnit: rule.type === 'number' && rule.per ? rule.per.unit : 1,
      size: rule.type === 'checklist' ? new Set(rule.options).size : 1,
      hasNone: rule.type === 'checklist' && rule.noneValue !== undefined,
    }
  })
  perLayout.set(model, compiled)
  return compiled
}

// Local copies of the engine's codes and goalpost formula: the bench and tests run through tsx,
// whose CommonJS output reads every imported binding through a getter, which costs a third of
// this hot loop. Copied once at load, they are the same values and the same function.
const CODE_NOT_APPLICABLE = NOT_APPLICABLE
const CODE_DONT_KNOW = DONT_KNOW
const CODE_MISSING = MISSING
const linearScore = linear

/**
 * The engine's item codes (score 0..1, or NOT_APPLICABLE, DONT_KNOW, MISSING)
 * of one encoded row, in model order; the same decisions, in the same order,
 * as `scoreAssessment`: applicableIf, then N/A (value or status), then "don't
 * know", then blank or invalid, then the rule's lookup table or formula.
 * One loop with the rule inline: this is the hot path, and it stays fast only
 * when V8 does not have to inline a per-item function into it.
 */
function fillRowCodes(
  items: readonly ItemProgram[],
  states: Uint8Array,
  values: Float64Array,
  base: number,
  codes: Float64Array,
): void {
  for (let i = 0; i < items.length; i++) {
    const p = items[i]
    if (p === undefined) continue
    let code = CODE_MISSING
    const state = states[base + p.value] ?? CELL_BLANK
    const status = p.status >= 0 ? (states[base + p.status] ?? CELL_BLANK) : CELL_VALUE
    if (p.condition >= 0 && ((values[base + p.condition] ?? 0) & p.conditionMask) === 0) {
      code = CODE_NOT_APPLICABLE
    } else if (state === CELL_NOT_APPLICABLE || status === CELL_NOT_APPLICABLE) {
      code = p.allowNotApplicable ? CODE_NOT_APPLICABLE : CODE_MISSING
    } else if (state === CELL_DONT_KNOW || status === CELL_DONT_KNOW) {
      code = p.allowDontKnow ? CODE_DONT_KNOW : CODE_MISSING
    } else if (state === CELL_VALUE) {
      const x = values[base + p.value] ?? 0
      const kind = p.kind
      if (kind === CHOICE) code = p.table[x] ?? CODE_MISSING
      else if (kind === YES_NO) code = x === 1 ? p.yes : p.no
      else if (kind === PERCENTAGE) code = linearScore(x, p.floor, p.target)
      else if (kind === NUMBER) {
        if (p.denominator < 0) code = linearScore(x, p.floor, p.target)
        else if (states[base + p.denominator] === CELL_VALUE) {
          // A blank, zero or invalid denominator leaves the ratio unknown (see scoreAssessment).
          const denominator = values[base + p.denominator] ?? 0
          if (denominator !== 0) {
            code = linearScore(x / (denominator / p.perUnit), p.floor, p.target)
          }
        }
      } else {
        // k distinct options of `size`; "none" alone scores 0; an empty list is skipped when
        // the checklist has a "none" option, and the answer "none of them" when it has not.
        code = x === -1 ? 0 : x === 0 && p.hasNone ? CODE_MISSING : x / p.size
      }
    }
    codes[i] = code
  }
}

export interface EncodedScores {
  modelId: string
  modelVersion: string
  /** 0–100, unrounded: bit-identical to `scoreAssessment(model, answers).composite`. */
  composite: Float64Array
  /** toBasisPoints(composite). */
  compositeBp: Int32Array
  /** 0..1, as `scoreAssessment(...).completeness`. */
  completeness: Float64Array
  /** Index in `model.levels` of the level reached, as `scoreAssessment(...).level.index`. */
  levelIndex: Int32Array
}

/**
 * Score pre-encoded answers under one model: per facility f and item i the
 * item code s_fi from the item's lookup table (choice index → points, yes/no
 * points) or its goalposts (v = clamp((x − floor)/(target − floor), 0, 1),
 * x = value / (denominator/unit) with `per`, k/|options| for a checklist),
 * then the engine's aggregation: D_d = Σ_{A_d} w_i·s_i / Σ_{A_d} w_i,
 * composite = 100·Σ_d W'_d·D_d, completeness = Σ_d W'_d·(answered_d/applicable_d),
 * and its level rule. Composites, completeness and levels equal
 * `scoreAssessment`'s bit for bit (a property test checks it). `gateEnabled`
 * switches configurable gates as in `scoreAssessment`.
 * @example
 * const encoded = encodeAnswers(answerLayout([oldModel, newModel]), answersList)
 * scoreEncoded(newModel, encoded).compositeBp // Int32Array [7250, 4125]
 */
export function scoreEncoded(
  model: ScoringModel,
  encoded: EncodedAnswers,
  options: { gateEnabled?: Readonly<Record<string, boolean>> } = {},
): EncodedScores {
  checkGateOverrides(model, options.gateEnabled)
  const enabled = model.gates.map((g) => options.gateEnabled?.[g.id] ?? g.enabled)
  const items = compileItems(model, encoded.layout)
  const { count, states, values } = encoded
  const width = encoded.layout.columns.length
  const rows = scoreItemCodeRows(
    model,
    count,
    (f, codes) => fillRowCodes(items, states, values, f * width, codes),
    enabled,
  )
  return {
    modelId: model.id,
    modelVersion: model.version,
    composite: rows.composite,
    compositeBp: Int32Array.from(rows.composite, toBasisPoints),
    completeness: rows.completeness,
    levelIndex: rows.levelIndex,
  }
}
