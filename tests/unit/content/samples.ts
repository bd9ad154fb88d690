/** The three sample answer sets, typed loosely as SurveyJS data objects. */
import basicFar from '../../../db/content/samples/basic-far.json' with { type: 'json' }
import centralNearReady from '../../../db/content/samples/central-near-ready.json' with { type: 'json' }
import provincialMiddle from '../../../db/content/samples/provincial-middle.json' with { type: 'json' }

export const samples: Record<
  'central-near-ready' | 'provincial-middle' | 'basic-far',
  Record<string, unknown>
> = {
  'central-near-ready': centralNearReady,
  'provincial-middle': provincialMiddle,
  'basic-far': basicFar,
}
