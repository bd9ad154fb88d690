/**
 * Answer rules (scoring model 1.1 on): conditions on a facility's answers and
 * its registry facts, written as data in the model (`answerRules`). A `refuse`
 * rule that holds makes validation refuse the answers (e.g. "not applicable"
 * the registry contradicts); a `flag` rule that holds is a data-quality
 * contradiction shown to reviewers. Pure: answers are read through
 * `resolveAnswer`, so a rule on the verified basis reads the reviewer's values.
 */
import type {
  AnswerRule,
  Operand,
  RegistryField,
  RulePredicate,
  ScoringModel,
} from './model-schema.ts'
import { resolveAnswer, type Answers } from './score.ts'

/** What the national registry says about a facility; null where it does not say. */
export type RegistryFacts = Readonly<Record<RegistryField, string | number | boolean | null>>

export interface RuleContext {
  answers: Answers
  /** Reviewer-verified values (the verified basis); omitted for the declared basis. */
  verified?: Answers
  registry: RegistryFacts
}

export interface RuleHit {
  id: string
  effect: AnswerRule['effect']
  question: string
  message: AnswerRule['message']
}

function answerOf(context: RuleContext, question: string): unknown {
  return resolveAnswer(context.answers, context.verified, question)
}

function numberOf(context: RuleContext, operand: Operand): number | null {
  const value =
    'answer' in operand
      ? answerOf(context, operand.answer)
      : 'registry' in operand
        ? context.registry[operand.registry]
        : operand.value
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function matches(value: unknown, values: readonly unknown[]): boolean {
  if (Array.isArray(value)) return value.some((v: unknown) => values.includes(v))
  return values.includes(value === undefined ? null : value)
}

/**
 * Whether one predicate holds (see `RulePredicateSchema`).
 * compare: left op factor·right, e.g. beds_in_use > 2·registry beds.
 * @example holds({ kind: 'registry', field: 'ownership', in: ['public'] }, context) // true
 */
export function holds(predicate: RulePredicate, context: RuleContext): boolean {
  switch (predicate.kind) {
    case 'answer':
      return matches(answerOf(context, predicate.question), predicate.in)
    case 'registry':
      return predicate.in.includes(context.registry[predicate.field])
    case 'compare': {
      const left = numberOf(context, predicate.left)
      const right = numberOf(context, predicate.right)
      if (left === null || right === null) return false
      const r = predicate.factor * right
      switch (predicate.op) {
        case 'gt':
          return left > r
        case 'ge':
          return left >= r
        case 'lt':
          return left < r
        case 'le':
          return left <= r
      }
      return false
    }
    case 'mismatch': {
      const answer = answerOf(context, predicate.question)
      const mapped = typeof answer === 'string' ? predicate.map[answer] : undefined
      const fact = context.registry[predicate.field]
      return mapped !== undefined && fact !== null && mapped !== fact
    }
  }
}

/**
 * The model's answer rules that hold for these answers, in model order.
 * @example evaluateAnswerRules(model, { answers, registry }).filter((h) => h.effect === 'refuse')
 */
export function evaluateAnswerRules(model: ScoringModel, context: RuleContext): RuleHit[] {
  return (model.answerRules ?? [])
    .filter((rule) => rule.when.all.every((p) => holds(p, context)))
    .map((rule) => ({
      id: rule.id,
      effect: rule.effect,
      question: rule.question,
      message: rule.message,
    }))
}
