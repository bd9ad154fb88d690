/**
 * The conditions of a questionnaire (`visibleIf`, `requiredIf`, `enableIf`)
 * parsed once into a small tree and evaluated the way survey-core evaluates
 * them, without survey-core.
 *
 * Only these forms are understood; anything else is refused when the
 * questionnaire is compiled, so a new kind of expression cannot quietly be
 * read wrong (teach it here, and to the property test, first):
 *
 *     {q} = 'v'    {q} == 'v'    {q} <> 'v'    {q} != 'v'
 *     {q} anyof ['a', 'b']    {q} noneof ['a']    {q} allof ['a', 'b']
 *     {q} notempty    {q} empty
 *     A and B    A or B    ( A )          (`and` binds tighter than `or`)
 *
 * `{q}` is a question's name (lower_snake_case); literals are quoted strings
 * without escapes. Which question may take which form (and that each literal
 * is a value the question offers) is checked by the compiler, which knows
 * the questions.
 *
 * Comparisons follow survey-core 3.0.0 (`Helpers.checkIfValuesEqual` and
 * `OperandMaker.binaryFunctions`): strings equal after trimming and ignoring
 * case, numbers and numeric strings by value, `anyof` as "some listed value
 * is the answer or is in it", `allof` as "every listed value is in it".
 */

export type Condition =
  | { kind: 'equals'; question: string; value: string; negate: boolean }
  | { kind: 'anyof' | 'noneof' | 'allof'; question: string; values: string[] }
  | { kind: 'empty'; question: string; negate: boolean }
  | { kind: 'and'; parts: Condition[] }
  | { kind: 'or'; parts: Condition[] }

export class ConditionSyntaxError extends Error {}

type Token =
  | { type: 'name'; value: string }
  | { type: 'string'; value: string }
  | { type: 'word'; value: string }
  | { type: 'punct'; value: string }

const TOKEN =
  /\s*(?:\{([a-z][a-z0-9_]*)\}|'([^'\\]*)'|"([^"\\]*)"|(==|!=|<>|=|\(|\)|\[|\]|,)|([a-z]+))/y

function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  let at = 0
  while (at < expression.length) {
    if (expression.slice(at).trim() === '') break
    TOKEN.lastIndex = at
    const m = TOKEN.exec(expression)
    if (!m) throw new ConditionSyntaxError(`cannot read "${expression.slice(at).trim()}"`)
    at = TOKEN.lastIndex
    if (m[1] !== undefined) tokens.push({ type: 'name', value: m[1] })
    else if (m[2] !== undefined) tokens.push({ type: 'string', value: m[2] })
    else if (m[3] !== undefined) tokens.push({ type: 'string', value: m[3] })
    else if (m[4] !== undefined) tokens.push({ type: 'punct', value: m[4] })
    else if (m[5] !== undefined) tokens.push({ type: 'word', value: m[5] })
  }
  return tokens
}

/**
 * Parses one expression; throws `ConditionSyntaxError` for any form above
 * does not list.
 * @example parseCondition("{has_imaging} = 'yes'")
 * // { kind: 'equals', question: 'has_imaging', value: 'yes', negate: false }
 */
export function parseCondition(expression: string): Condition {
  const tokens = tokenize(expression)
  let i = 0
  const peek = () => tokens[i]
  const next = () => {
    const token = tokens[i++]
    if (!token) throw new ConditionSyntaxError(`"${expression}" ends too early`)
    return token
  }
  const expect = (value: string) => {
    const token = next()
    if (token.type !== 'punct' || token.value !== value) {
      throw new ConditionSyntaxError(`expected "${value}" in "${expression}"`)
    }
  }
  const literal = (): string => {
    const token = next()
    if (token.type !== 'string') {
      throw new ConditionSyntaxError(`expected a quoted value in "${expression}"`)
    }
    if (token.value.trim() === '') {
      throw new ConditionSyntaxError(`an empty value in "${expression}": use empty / notempty`)
    }
    // survey-core reads the text 'undefined' as no value at all.
    if (token.value === 'undefined') {
      throw new ConditionSyntaxError(`'undefined' in "${expression}": use empty / notempty`)
    }
    return token.value
  }

  const test = (): Condition => {
    const token = next()
    if (token.type === 'punct' && token.value === '(') {
      const inner = or()
      expect(')')
      return inner
    }
    if (token.type !== 'name') {
      throw new ConditionSyntaxError(`expected {question} in "${expression}"`)
    }
    const question = token.value
    const op = next()
    if (op.type === 'punct' && ['=', '==', '<>', '!='].includes(op.value)) {
      return {
        kind: 'equals',
        question,
        value: literal(),
        negate: op.value === '<>' || op.value === '!=',
      }
    }
    if (
      op.type === 'word' &&
      (op.value === 'anyof' || op.value === 'noneof' || op.value === 'allof')
    ) {
      expect('[')
      const values = [literal()]
      while (peek()?.type === 'punct' && peek()?.value === ',') {
        next()
        values.push(literal())
      }
      expect(']')
      return { kind: op.value, question, values }
    }
    if (op.type === 'word' && (op.value === 'empty' || op.value === 'notempty')) {
      return { kind: 'empty', question, negate: op.value === 'notempty' }
    }
    throw new ConditionSyntaxError(`unknown operator "${op.value}" in "${expression}"`)
  }
  const joined = (kind: 'and' | 'or', part: () => Condition) => (): Condition => {
    const parts = [part()]
    while (peek()?.type === 'word' && peek()?.value === kind) {
      next()
      parts.push(part())
    }
    if (parts.length === 1 && parts[0]) return parts[0]
    return kind === 'and' ? { kind: 'and', parts } : { kind: 'or', parts }
  }
  const and = joined('and', test)
  const or = joined('or', and)

  const condition = or()
  if (i < tokens.length) throw new ConditionSyntaxError(`unexpected text in "${expression}"`)
  return condition
}

/** Every question a condition reads. */
export function conditionQuestions(condition: Condition): string[] {
  return condition.kind === 'and' || condition.kind === 'or'
    ? condition.parts.flatMap(conditionQuestions)
    : [condition.question]
}

/** survey-core's `Helpers.isValueEmpty` for answer values. */
export function isSurveyEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object' && value !== null && value.constructor === Object) {
    return Object.values(value).every(isSurveyEmpty)
  }
  return !value && value !== 0 && value !== false
}

const isConvertibleToNumber = (value: unknown) =>
  value !== undefined && value !== null && !Array.isArray(value) && !isNaN(value as number)

/**
 * survey-core's `Helpers.checkIfValuesEqual(value, literal)` for an answer
 * value and a non-empty string literal (trimmed, case ignored).
 */
export function equalsLiteral(value: unknown, literal: string): boolean {
  if (value === literal) return true
  if (typeof value === 'string') return value.trim().toLowerCase() === literal.trim().toLowerCase()
  if (isConvertibleToNumber(value) && isConvertibleToNumber(literal)) {
    const v = value as string
    if (parseInt(v) === parseInt(literal) && parseFloat(v) === parseFloat(literal)) return true
  }
  if (isSurveyEmpty(value)) return false
  if (value === true || value === false) return value.toString() === literal.toLocaleLowerCase()
  // survey-core compares what is left with ==, which for a number reads the string as one.
  return typeof value === 'number' && value === Number(literal)
}

/** survey-core's `containsCore(left, right, true)` for one literal. */
function contains(value: unknown, literal: string): boolean {
  if (Array.isArray(value)) return value.some((v) => equalsLiteral(v, literal))
  if (!value && value !== 0 && value !== false) return false
  return String(value).toLowerCase().includes(literal.toLowerCase())
}

/** Whether the condition holds for these answers (survey-core's reading; see above). */
export function evaluateCondition(condition: Condition, answers: Record<string, unknown>): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.parts.every((p) => evaluateCondition(p, answers))
    case 'or':
      return condition.parts.some((p) => evaluateCondition(p, answers))
    case 'equals':
      return equalsLiteral(answers[condition.question], condition.value) !== condition.negate
    case 'empty':
      return isSurveyEmpty(answers[condition.question]) !== condition.negate
    case 'anyof':
    case 'noneof': {
      const value = answers[condition.question]
      const any =
        !isSurveyEmpty(value) &&
        condition.values.some((literal) =>
          Array.isArray(value)
            ? value.some((v) => equalsLiteral(v, literal))
            : equalsLiteral(value, literal),
        )
      return condition.kind === 'anyof' ? any : !any
    }
    case 'allof': {
      const value = answers[condition.question]
      if (!value) return false
      return condition.values.every((literal) => contains(value, literal))
    }
  }
}
