import { describe, expect, it } from 'vitest'
import { ACTORS, buildMatrix } from '../../integration/access-matrix.routes.ts'

describe('access matrix rows', () => {
  it('give every actor an expected status', () => {
    for (const row of buildMatrix({
      ownFacilityId: 1,
      sameProvinceFacilityId: 2,
      otherProvinceFacilityId: 3,
    })) {
      for (const actor of ACTORS)
        expect(row.expect[actor.name], `${row.path} ${actor.name}`).toBeTypeOf('number')
    }
  })
})
