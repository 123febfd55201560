/** The statistics the judge (and the shadow replay) composes; distribution functions from @stdlib. */
export { binomialAtLeast, binomialAtMost, proportionLower, proportionUpper } from './proportion.js';
export {
  contrastBounds,
  meanBounds,
  mergeMoments,
  momentsOf,
  variance,
  type Bounds,
} from './mean.js';
export { quantileRankBounds } from './quantile-rank.js';
export { lookAlpha } from './looks.js';
export {
  crosses,
  meanEvidence,
  meanSampleNeeded,
  proportionEvidence,
  proportionSampleNeeded,
} from './mixture.js';
export {
  meanSequenceLower,
  meanSequenceUpper,
  proportionSequenceLower,
  proportionSequenceUpper,
} from './sequence.js';
