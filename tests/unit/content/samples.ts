/** The four sample answer sets, typed loosely as SurveyJS data objects. */
import basicFar from '../../../db/content/samples/basic-far.json' with { type: 'json' }
import centralNearReady from '../../../db/content/samples/central-near-ready.json' with { type: 'json' }
import provincialMiddle from '../../../db/content/samples/provincial-middle.json' with { type: 'json' }
import strongButInsecure from '../../../db/content/samples/strong-but-insecure.json' with { type: 'json' }

export const samples: Record<
  'central-near-ready' | 'provincial-middle' | 'basic-far' | 'strong-but-insecure',
  Record<string, unknown>
> = {
  'central-near-ready': centralNearReady,
  'provincial-middle': provincialMiddle,
  'basic-far': basicFar,
  'strong-but-insecure': strongButInsecure,
}
