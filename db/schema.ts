/**
 * Kysely table types for the current schema. Honest SQLite types: booleans
 * are 0 | 1, timestamps are ISO-8601 text in UTC, JSON is text. Migrations do
 * not import this file (they are frozen in time); this file follows them.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
// One list of referral roles: the priority model scores them (see migration 0011 for each value).
import type { ReferralRole } from '../scoring/priority.ts'

export const ROLES = [
  'director',
  'staff',
  'province_reviewer',
  'ministry_reviewer',
  'admin',
] as const
export type Role = (typeof ROLES)[number]

export const TIERS = ['central', 'provincial', 'basic'] as const
export type Tier = (typeof TIERS)[number]

export const OWNERSHIPS = ['public', 'private'] as const
export type Ownership = (typeof OWNERSHIPS)[number]

export const EMR_STATUSES = ['none', 'in_progress', 'live'] as const
export type EmrStatus = (typeof EMR_STATUSES)[number]

/** The class Circular 13/2025 sets EMR deadlines by (0011). */
export const FACILITY_CLASSES = ['hospital', 'other'] as const
export type FacilityClass = (typeof FACILITY_CLASSES)[number]

export const ASSESSMENT_STATUSES = ['draft', 'submitted', 'returned', 'verified'] as const
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number]

export interface ProvinceTable {
  code: string
  name: string
  name_en: string
  full_name: string
  full_name_en: string
  search_key: string
}

export interface FacilityTable {
  id: Generated<number>
  code: string
  name: string
  province_code: string
  tier: Tier
  ownership: Ownership
  beds: number
  /** Decree 60/2021 financial-autonomy group 1–4; null for private facilities. */
  autonomy_group: number | null
  emr_status: EmrStatus
  search_key: string
  created_at: string
  /** 0009: optional contact fields of the registry file. */
  address: string | null
  phone: string | null
  /** 0009: when an administrator closed the facility; null while it is open. */
  closed_at: string | null
  /** 0011: null where the registry does not say. */
  referral_role: ReferralRole | null
  /** 0011: 1 with an imaging department or unit, 0 without; null unknown. */
  has_imaging: 0 | 1 | null
  /** 0011: null unknown. */
  facility_class: FacilityClass | null
}

export interface UserTable {
  id: Generated<number>
  login: string
  display_name: string
  role: Role
  facility_id: number | null
  province_code: string | null
  /** Null until the user sets one through their invitation link (0010). */
  password_hash: string | null
  disabled: 0 | 1
  /** 0010: contact fields, search, optimistic concurrency and the TOTP second factor. */
  email: string | null
  phone: string | null
  /** foldSearchKey of login, display name and email. */
  search_key: string
  password_changed_at: string | null
  /** Base32; set together with totp_enrolled_at. */
  totp_secret: string | null
  totp_enrolled_at: string | null
  /** The last TOTP time step accepted (a code is never accepted twice). */
  totp_last_step: number | null
  version: Generated<number>
  created_at: string
  updated_at: string
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a leaked database does not leak sessions. */
  id_hash: string
  user_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
  ip: string | null
  user_agent: string | null
  /** 0010: a session short of `full` opens no page, only its sign-in step. */
  stage: Generated<SessionStage>
}

export const SESSION_STAGES = ['full', 'second_factor', 'enrol'] as const
export type SessionStage = (typeof SESSION_STAGES)[number]

export interface LoginAttemptTable {
  id: Generated<number>
  login: string
  ip: string
  succeeded: 0 | 1
  created_at: string
  /** 0010: which step the attempt was (passwords and second-factor codes are counted apart). */
  factor: Generated<LoginFactor>
}

export type LoginFactor = 'password' | 'second_factor'

export interface QuestionnaireTable {
  id: Generated<number>
  version: string
  json: string
  sha256: string
  created_at: string
}

export interface ScoringModelTable {
  id: Generated<number>
  model_id: string
  version: string
  json: string
  sha256: string
  created_at: string
}

export interface RoundTable {
  id: Generated<number>
  name: string
  opens_on: string
  closes_on: string
  questionnaire_id: number
  scoring_model_id: number
  created_at: string
  /** 0011: the legal EMR deadline (YYYY-MM-DD) of hospitals; default Circular 13/2025's 2025-09-30. */
  hospital_emr_deadline: Generated<string>
  /** 0011: the deadline of other treatment facilities; default 2026-12-31. */
  other_emr_deadline: Generated<string>
  /** 0013: JSON gate id → on/off for the model's configurable gates; '{}' keeps the model's. */
  gate_settings: Generated<string>
  /** 0013: optimistic-concurrency counter of the rounds page. */
  version: Generated<number>
}

/** 0013: a facility's later closing date in one round; ended, never deleted. */
export interface RoundExtensionTable {
  id: Generated<number>
  round_id: number
  facility_id: number
  /** YYYY-MM-DD, the facility's last day of writes; never before the round's close when granted. */
  closes_on: string
  reason: string
  granted_by: number
  granted_at: string
  ended_at: string | null
  ended_by: number | null
  ended_how: 'changed' | 'withdrawn' | null
}

export interface AssessmentTable {
  id: Generated<number>
  facility_id: number
  round_id: number
  status: AssessmentStatus
  /** Optimistic-concurrency counter: every write is `WHERE version = ?`. */
  version: number
  answers: string
  current_page: number
  submission_id: string | null
  submitted_at: string | null
  submitted_by: number | null
  verified_at: string | null
  verified_by: number | null
  created_at: string
  updated_at: string
  updated_by: number | null
}

export interface AssessmentChangeTable {
  id: Generated<number>
  assessment_id: number
  question: string
  old_value: string | null
  new_value: string | null
  user_id: number
  changed_at: string
  /** The assessment version this change produced (0002). */
  version: number | null
  /**
   * The version its author had seen (0010): `version - 1` for an ordinary
   * save, older for a save merged on top of others' changes; NULL before 0012.
   */
  based_on_version: number | null
}

export interface EvidenceFileTable {
  id: Generated<number>
  assessment_id: number
  question: string
  file_name: string
  mime_type: 'application/pdf' | 'image/png' | 'image/jpeg'
  size_bytes: number
  sha256: string
  storage_path: string
  uploaded_by: number
  uploaded_at: string
  removed_at: string | null
  removed_by: number | null
}

export interface ScoreTable {
  id: Generated<number>
  assessment_id: number
  scoring_model_id: number
  /** 'declared' scores the director's answers; 'verified' uses reviewer values where present. */
  basis: 'declared' | 'verified'
  composite_bp: number
  level: string
  completeness: number
  result_json: string
  computed_at: string
}

export interface ReviewCommentTable {
  id: Generated<number>
  assessment_id: number
  question: string | null
  author_id: number
  body: string
  created_at: string
  resolved_at: string | null
}

export interface RankingRunTable {
  id: Generated<number>
  name: string
  round_id: number
  scoring_model_id: number
  params_json: string
  input_hash: string
  seed: number
  result_json: string
  created_by: number
  created_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor_id: number | null
  action: string
  entity_type: string
  entity_id: string | null
  facility_id: number | null
  detail_json: string
  ip: string | null
  request_id: string | null
  /** The previous row's `hash` (64 zeros for the first row); unique, so the chain cannot fork (0006). */
  prev_hash: string
  /** SHA-256 of `prev_hash`, a newline and the row's canonical content (0006). */
  hash: string
}

export interface Database {
  provinces: ProvinceTable
  facilities: FacilityTable
  users: UserTable
  sessions: SessionTable
  login_attempts: LoginAttemptTable
  questionnaires: QuestionnaireTable
  scoring_models: ScoringModelTable
  rounds: RoundTable
  round_extensions: RoundExtensionTable
  assessments: AssessmentTable
  assessment_changes: AssessmentChangeTable
  evidence_files: EvidenceFileTable
  scores: ScoreTable
  review_comments: ReviewCommentTable
  ranking_runs: RankingRunTable
  audit_log: AuditLogTable
}

export type Province = Selectable<ProvinceTable>
export type Facility = Selectable<FacilityTable>
export type NewFacility = Insertable<FacilityTable>
export type FacilityUpdate = Updateable<FacilityTable>
export type User = Selectable<UserTable>
export type Session = Selectable<SessionTable>
export type Round = Selectable<RoundTable>
export type Assessment = Selectable<AssessmentTable>
export type Score = Selectable<ScoreTable>
export type EvidenceFile = Selectable<EvidenceFileTable>
export type AuditEntry = Selectable<AuditLogTable>

// 0003 — the reviewer's journey.

export interface VerifiedValueTable {
  id: Generated<number>
  assessment_id: number
  question: string
  /** The reviewer's value for the question, JSON; the latest row per question wins. */
  value_json: string
  reason: string
  reviewer_id: number
  created_at: string
}

/** A score's domain scores in basis points, kept in step with `scores` by triggers. */
export interface ScoreDomainTable {
  score_id: number
  domain_id: string
  score_bp: number
}

export interface Database {
  verified_values: VerifiedValueTable
  score_domains: ScoreDomainTable
}

// 0005 — change counters for what the wave planner reads.

/** One counter per source of the planner's inputs, raised by triggers on every change. */
export interface ChangeCounterTable {
  name: 'facilities' | 'provinces' | 'assessments' | 'scores'
  value: number
}

export interface Database {
  change_counters: ChangeCounterTable
}

// 0006 — the audit chain's writer lock and the heartbeat /healthz writes.

/** One row (id 1): every audit append bumps it first, taking the write lock before reading the head. */
export interface AuditChainLockTable {
  id: number
  appends: number
}

/** One row (id 1), rewritten by /healthz and the start-up check. */
export interface HeartbeatTable {
  id: number
  at: string
}

export interface Database {
  audit_chain_lock: AuditChainLockTable
  heartbeat: HeartbeatTable
}
// 0009 — the facility registry.

export const FACILITY_CHANGE_KINDS = ['created', 'updated', 'closed', 'reopened'] as const
export type FacilityChangeKind = (typeof FACILITY_CHANGE_KINDS)[number]

/** A facility's history: fields changed by imports, creation, closing and reopening. */
export interface FacilityChangeTable {
  id: Generated<number>
  facility_id: number
  kind: FacilityChangeKind
  /** The column an import changed; null unless `kind` is 'updated'. */
  field: string | null
  old_value: string | null
  new_value: string | null
  /** Why it was closed or reopened; null for imports. */
  reason: string | null
  /** SHA-256 of the imported file; null for closing and reopening. */
  file_sha256: string | null
  /** Null when the change came from the command line. */
  user_id: number | null
  changed_at: string
}

export interface Database {
  facility_changes: FacilityChangeTable
}

export type NewFacilityChange = Insertable<FacilityChangeTable>
// 0010 — accounts for a real deployment.

export type AccountTokenKind = 'invitation' | 'reset'

/** One-time links: only the SHA-256 of the 256-bit token is stored. */
export interface AccountTokenTable {
  id: Generated<number>
  user_id: number
  kind: AccountTokenKind
  token_hash: string
  created_by: number | null
  created_at: string
  expires_at: string
  used_at: string | null
  /** Set when a newer link replaced this one. */
  revoked_at: string | null
}

export interface RecoveryCodeTable {
  id: Generated<number>
  user_id: number
  code_hash: string
  created_at: string
  used_at: string | null
}

export type DeploymentMode = 'demo' | 'production'

/** One row, written the first time the database is prepared. */
export interface DeploymentTable {
  id: 1
  mode: DeploymentMode
  recorded_at: string
}

export interface Database {
  account_tokens: AccountTokenTable
  recovery_codes: RecoveryCodeTable
  deployment: DeploymentTable
}

// 0019 — API tokens for the Ministry's other systems.

export const API_SCOPES = [
  'facilities:read',
  'assessments:read',
  'scores:read',
  'waves:read',
] as const
export type ApiScope = (typeof API_SCOPES)[number]

/** A service account's token: stored as its SHA-256 only, shown once when created. */
export interface ApiTokenTable {
  id: Generated<number>
  name: string
  /** JSON array of `ApiScope` (decoded in app/models/api-token.server.ts). */
  scopes: string
  /** Null: national; otherwise the one province the token reads. */
  province_code: string | null
  token_hash: string
  created_by: number
  created_at: string
  expires_at: string
  revoked_at: string | null
  revoked_by: number | null
  last_used_at: string | null
}

export interface Database {
  api_tokens: ApiTokenTable
}
export type AccountToken = Selectable<AccountTokenTable>

// 0020 — the rollout after the ranking: waves, their facilities, milestones.

/** A facility's steps to go-live, in the order they are expected (0020). */
export const MILESTONE_KINDS = [
  'plan_approved',
  'contract_signed',
  'infrastructure_ready',
  'signatures_issued',
  'systems_connected',
  'pilot_live',
  'full_live',
  'paper_ended',
  'declaration_published',
] as const
export type MilestoneKind = (typeof MILESTONE_KINDS)[number]

export const MILESTONE_STATUSES = ['proposed', 'confirmed', 'returned'] as const
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number]

/** A saved ranking run adopted as an official wave; the run is immutable from then on. */
export interface WaveTable {
  id: Generated<number>
  run_id: number
  name: string
  /** YYYY-MM-DD. */
  target_go_live: string
  budget_vnd: number
  adopted_by: number
  adopted_at: string
}

/** The run's selected facilities, with the cost the run gave each. */
export interface WaveMemberTable {
  wave_id: number
  facility_id: number
  cost_vnd: number
}

export interface MilestoneTable {
  id: Generated<number>
  facility_id: number
  kind: MilestoneKind
  /** YYYY-MM-DD, in Vietnam; never after the day it was proposed. */
  occurred_on: string
  note: string
  /** A document number or link; null when none was given. */
  evidence_ref: string | null
  status: MilestoneStatus
  proposed_by: number
  proposed_at: string
  reviewed_by: number | null
  reviewed_at: string | null
  review_comment: string | null
}

export interface Database {
  waves: WaveTable
  wave_members: WaveMemberTable
  milestones: MilestoneTable
}

export type Wave = Selectable<WaveTable>
export type Milestone = Selectable<MilestoneTable>
// 0021 — the national roadmap: versioned remedial-action cost tables and saved scenarios.

export interface RemedialCostTableTable {
  id: Generated<number>
  version: string
  /** The table's content (RemedialCostTableSchema), canonical JSON. */
  json: string
  sha256: string
  /** Null for the shipped table. */
  created_by: number | null
  created_at: string
}

export interface RoadmapScenarioTable {
  id: Generated<number>
  name: string
  round_id: number
  scoring_model_id: number
  cost_table_id: number
  params_json: string
  input_hash: string
  result_json: string
  created_by: number
  created_at: string
}

export interface Database {
  remedial_cost_tables: RemedialCostTableTable
  roadmap_scenarios: RoadmapScenarioTable
}

export type RemedialCostTable = Selectable<RemedialCostTableTable>
export type RoadmapScenario = Selectable<RoadmapScenarioTable>

// 0022 — rate limits every application process shares.

export type RateBucket = 'waves' | 'api' | 'api-refusals' | 'api-bare'

/** One counted event of a sliding window: `key` (a user, a token, an address) in `bucket` at `at_ms`. */
export interface RateEventTable {
  id: Generated<number>
  bucket: RateBucket
  key: string
  at_ms: number
}

export interface Database {
  rate_events: RateEventTable
}

// 0023 — robustness jobs any process can answer for.

export type RobustnessJobStatus = 'queued' | 'running' | 'done' | 'failed'

export interface RobustnessJobTable {
  /** A random UUID, handed to the user's browser. */
  id: string
  user_id: number
  /** What the draws belong to (planKey: input hash, model, parameters, round, scope). */
  plan_key: string
  status: RobustnessJobStatus
  done: number
  total: number
  seed: number
  alpha: number
  /** RobustnessResult, when done. */
  result_json: string | null
  error: string | null
  created_at_ms: number
  updated_at_ms: number
  finished_at_ms: number | null
}

export interface Database {
  robustness_jobs: RobustnessJobTable
}
