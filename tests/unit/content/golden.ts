/**
 * Hand computation of the four samples under scoring model v1: per domain
 * Σ item weight × item score (item weights from scoring-model-v1.json, item
 * scores from the sample answers), then composite = 100 × Σ domain weight ×
 * domain score. Not-applicable items (PACS when there is no imaging) drop out
 * and the domain's remaining weights are renormalised (÷ their sum).
 * "Don't know" scores 0. Gate results and the level follow §9.3–9.4.
 */
export interface Golden {
  composite: number
  /** The same number written out by domain; a test checks the two agree. */
  arithmetic: number
  /** The level under model 1.0.0. */
  levelId: string
  /** Ids of the gates that pass (the same under 1.0.0 and 1.1.0: the gates did not change). */
  passingGates: string[]
  /**
   * Under model 1.1.0, re-scored by hand: the composite and gates are 1.0's (items and
   * weights did not change); the level adds the domain floors — R3 needs every domain ≥ 50
   * and cybersecurity ≥ 60, R4 every domain ≥ 60 and cybersecurity ≥ 70 — on the basis
   * points shown.
   */
  v1_1: { levelId: string; floorsFailed: Array<{ levelId: string; domainId: string }> }
}

const composite = (d: [number, number, number, number, number, number]) =>
  100 * (0.15 * d[0] + 0.2 * d[1] + 0.2 * d[2] + 0.2 * d[3] + 0.15 * d[4] + 0.1 * d[5])

export const golden: Record<
  'central-near-ready' | 'provincial-middle' | 'basic-far' | 'strong-but-insecure',
  Golden
> = {
  // 1,200 beds, imaging. All gates but G5 (no approved security dossier) pass,
  // so the composite of 80.9 (≥ 80) is capped at R3 "ready with support".
  'central-near-ready': {
    composite: 80.89502380952382,
    arithmetic: composite([
      // it_workforce = 0.8193571: dedicated yes; 18 FTE / 12 = 1.5 per 100 beds → 1.5/2;
      // unit level 4; 6 of 7 competencies; helpdesk, vendor level 3; key users 85%;
      // training 70%; retention level 2
      0.15 * 1 +
        0.15 * 0.75 +
        0.12 * 1 +
        0.12 * (6 / 7) +
        0.12 * 0.75 +
        0.1 * 0.75 +
        0.1 * 0.85 +
        0.07 * 0.7 +
        0.07 * 0.5,
      // infrastructure = 0.8275667: workstations 92%, modern 65%, LAN 3, Wi-Fi 80%,
      // 1000 Mbps (≥ 500 → 1), two lines, servers/storage/power/room 3, LIS 90%,
      // imaging 95%, 5 of 6 peripherals
      0.12 * 0.92 +
        0.06 * 0.65 +
        0.1 * 0.75 +
        0.07 * 0.8 +
        0.06 * 1 +
        0.05 * 1 +
        0.12 * 0.75 +
        0.08 * 0.75 +
        0.07 * 0.75 +
        0.06 * 0.75 +
        0.08 * 0.9 +
        0.08 * 0.95 +
        0.05 * (5 / 6),
      // cybersecurity = 0.7106667: dossier no (G5 fails); backup level 3 (G2); policy,
      // access, audit 3; MFA yes; endpoint 95%; 5 of 6 network controls; patching,
      // incidents, personal data 3; security training 75%
      0.1 * 0 +
        0.14 * 0.75 +
        0.08 * 0.75 +
        0.09 * 0.75 +
        0.06 * 1 +
        0.08 * 0.75 +
        0.07 * 0.95 +
        0.08 * (5 / 6) +
        0.07 * 0.75 +
        0.08 * 0.75 +
        0.08 * 0.75 +
        0.07 * 0.75,
      // software_interoperability = 0.8308333: HIS yes (G1); 10/10 modules; 7/8 EMR
      // functions; e-signature yes (G3), 75% signing; LIS 3; PACS 4; XML 3; national
      // ID 3 (G6); standards 2; 4/6 national links; 6 h downtime → (24−6)/24; TT54
      // level 6 → 0.8; coding 3
      0.1 * 1 +
        0.09 * 1 +
        0.1 * (7 / 8) +
        0.09 * 1 +
        0.06 * 0.75 +
        0.07 * 0.75 +
        0.07 * 1 +
        0.07 * 0.75 +
        0.08 * 0.75 +
        0.07 * 0.5 +
        0.05 * (4 / 6) +
        0.04 * 0.75 +
        0.05 * 0.8 +
        0.06 * 0.75,
      // governance_financing = 0.8693333: plan 4; committee yes; 80% funded; autonomy
      // group 2 → 0.67; budget line 3; dossier 4; data clause yes; monitoring 3; 5/6 rules
      0.15 * 1 +
        0.1 * 1 +
        0.18 * 0.8 +
        0.1 * 0.67 +
        0.12 * 0.75 +
        0.12 * 1 +
        0.08 * 1 +
        0.08 * 0.75 +
        0.07 * (5 / 6),
      // user_readiness = 0.8183333: trained 85%; literacy 3; templates 80%; workflow 3;
      // change 3; drill yes; 5/6 patient channels; training capacity 3; survey yes
      0.15 * 0.85 +
        0.15 * 0.75 +
        0.15 * 0.8 +
        0.12 * 0.75 +
        0.1 * 0.75 +
        0.08 * 1 +
        0.1 * (5 / 6) +
        0.08 * 0.75 +
        0.07 * 1,
    ]),
    levelId: 'R3',
    passingGates: ['G1', 'G2', 'G3', 'G4', 'G6'],
    // 1.1: lowest domain is cybersecurity 71.07 (≥ 60 for R3, ≥ 70 for R4), all others ≥ 81:
    // every floor holds; R4 stays out of reach because of G5 alone → R3.
    v1_1: { levelId: 'R3', floorsFailed: [] },
  },
  // 450 beds, imaging. G1, G2, G4 pass, G3 (no e-signature) fails; 56.0 ≥ 55 → R2.
  'provincial-middle': {
    composite: 56.04857142857143,
    arithmetic: composite([
      // it_workforce = 0.6610714: 6 FTE / 4.5 = 1.333 per 100 beds → /2
      0.15 * 1 +
        0.15 * (6 / 4.5 / 2) +
        0.12 * 0.75 +
        0.12 * (4 / 7) +
        0.12 * 0.75 +
        0.1 * 0.5 +
        0.1 * 0.6 +
        0.07 * 0.5 +
        0.07 * 0.25,
      // infrastructure = 0.559: "modern workstations" don't know → 0; 200 Mbps → 0.4
      0.12 * 0.75 +
        0.06 * 0 +
        0.1 * 0.75 +
        0.07 * 0.6 +
        0.06 * 0.4 +
        0.05 * 1 +
        0.12 * 0.5 +
        0.08 * 0.5 +
        0.07 * 0.5 +
        0.06 * 0.5 +
        0.08 * 0.6 +
        0.08 * 0.5 +
        0.05 * (3 / 6),
      // cybersecurity = 0.5105: backup level 3 passes G2
      0.1 * 0 +
        0.14 * 0.75 +
        0.08 * 0.75 +
        0.09 * 0.75 +
        0.06 * 1 +
        0.08 * 0.5 +
        0.07 * 0.7 +
        0.08 * (3 / 6) +
        0.07 * 0.5 +
        0.08 * 0.25 +
        0.08 * 0.25 +
        0.07 * 0.2,
      // software_interoperability = 0.532: no e-signature, 0% signing; 12 h downtime → 0.5;
      // TT54 level 3–4 → 0.4
      0.1 * 1 +
        0.09 * 0.8 +
        0.1 * (4 / 8) +
        0.09 * 0 +
        0.06 * 0 +
        0.07 * 0.75 +
        0.07 * 0.5 +
        0.07 * 0.75 +
        0.08 * 0.5 +
        0.07 * 0.5 +
        0.05 * (3 / 6) +
        0.04 * 0.5 +
        0.05 * 0.4 +
        0.06 * 0.5,
      // governance_financing = 0.5568333: 60% funded; autonomy group 3 → 0.33
      0.15 * 0.75 +
        0.1 * 1 +
        0.18 * 0.6 +
        0.1 * 0.33 +
        0.12 * 0.5 +
        0.12 * 0.5 +
        0.08 * 0 +
        0.08 * 0.75 +
        0.07 * (2 / 6),
      // user_readiness = 0.575
      0.15 * 0.6 +
        0.15 * 0.5 +
        0.15 * 0.6 +
        0.12 * 0.25 +
        0.1 * 0.5 +
        0.08 * 1 +
        0.1 * (3 / 6) +
        0.08 * 0.5 +
        0.07 * 1,
    ]),
    levelId: 'R2',
    passingGates: ['G1', 'G2', 'G4'],
    // 1.1: 56.05 < 70, so R3's floors are never reached; R2 has none → R2.
    v1_1: { levelId: 'R2', floorsFailed: [] },
  },
  // 80 beds, no imaging (PACS items not applicable), HIS outpatient only: G1 fails → R0.
  'basic-far': {
    composite: 14.544910895166858,
    arithmetic: composite([
      // it_workforce = 0.1271429: no dedicated staff, 0 FTE
      0.15 * 0 +
        0.15 * 0 +
        0.12 * 0.25 +
        0.12 * (1 / 7) +
        0.12 * 0.25 +
        0.1 * 0.5 +
        0.1 * 0 +
        0.07 * 0 +
        0.07 * 0,
      // infrastructure = 0.1864130: imaging connectivity n/a → ÷ (1 − 0.08); 50 Mbps → 0.1
      (0.12 * 0.35 +
        0.06 * 0 +
        0.1 * 0.25 +
        0.07 * 0 +
        0.06 * 0.1 +
        0.05 * 0 +
        0.12 * 0.25 +
        0.08 * 0.25 +
        0.07 * 0.25 +
        0.06 * 0.25 +
        0.08 * 0.2 +
        0.05 * 0) /
        0.92,
      // cybersecurity = 0.1188333: dossier, MFA and training "don't know" → 0
      0.1 * 0 +
        0.14 * 0.25 +
        0.08 * 0 +
        0.09 * 0.25 +
        0.06 * 0 +
        0.08 * 0.25 +
        0.07 * 0.4 +
        0.08 * (1 / 6) +
        0.07 * 0 +
        0.08 * 0 +
        0.08 * 0 +
        0.07 * 0,
      // software_interoperability = 0.1514337: RIS/PACS n/a → ÷ (1 − 0.07); HIS no (G1 fails);
      // 5/10 modules; no EMR functions; downtime don't know → 0
      (0.1 * 0 +
        0.09 * 0.5 +
        0.1 * 0 +
        0.09 * 0 +
        0.06 * 0 +
        0.07 * 0.25 +
        0.07 * 0.5 +
        0.08 * 0.25 +
        0.07 * 0 +
        0.05 * (1 / 6) +
        0.04 * 0 +
        0.05 * 0 +
        0.06 * 0.25) /
        0.93,
      // governance_financing = 0.1175: nothing funded; autonomy group 4 → 0
      0.15 * 0.25 +
        0.1 * 0 +
        0.18 * 0 +
        0.1 * 0 +
        0.12 * 0.25 +
        0.12 * 0.25 +
        0.08 * 0 +
        0.08 * 0.25 +
        0.07 * 0,
      // user_readiness = 0.1741667
      0.15 * 0.1 +
        0.15 * 0.25 +
        0.15 * 0.2 +
        0.12 * 0.25 +
        0.1 * 0.25 +
        0.08 * 0 +
        0.1 * (1 / 6) +
        0.08 * 0.25 +
        0.07 * 0,
    ]),
    levelId: 'R0',
    passingGates: [],
    v1_1: { levelId: 'R0', floorsFailed: [] },
  },
  // 500 beds, imaging. Every item at its best except cybersecurity, where only the two gate
  // items pass (security dossier approved, backup level 3): composite 84.1 with every gate
  // passing is R4 under 1.0 — a strong infrastructure hiding a 20 % security domain.
  'strong-but-insecure': {
    composite: 84.1,
    arithmetic: composite([
      // it_workforce = 1: 10 FTE / 5 = 2 per 100 beds → 1; everything else at level 4 / 100 %
      1,
      // infrastructure = 1: 100 %, level 4, 500 Mbps, two lines, all peripherals
      1,
      // cybersecurity = 0.205: dossier yes (G5), backup level 3 (G2, 0.75); policy, access,
      // audit, patching, incidents, personal data level 0; no MFA; 0 % endpoints and training;
      // no network controls
      0.1 * 1 +
        0.14 * 0.75 +
        0.08 * 0 +
        0.09 * 0 +
        0.06 * 0 +
        0.08 * 0 +
        0.07 * 0 +
        0.08 * 0 +
        0.07 * 0 +
        0.08 * 0 +
        0.08 * 0 +
        0.07 * 0,
      // software_interoperability = 1: 0 h downtime, TT54 level 7, all modules and links
      1,
      // governance_financing = 1: fully funded, autonomy group 1
      1,
      // user_readiness = 1
      1,
    ]),
    levelId: 'R4',
    passingGates: ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'],
    // 1.1: cybersecurity 20.50 < 60 (R3) and < 70 (R4): both blocked, R2 (≥ 55, G1, G2, G4) stays.
    v1_1: {
      levelId: 'R2',
      floorsFailed: [
        { levelId: 'R3', domainId: 'cybersecurity' },
        { levelId: 'R4', domainId: 'cybersecurity' },
      ],
    },
  },
}
