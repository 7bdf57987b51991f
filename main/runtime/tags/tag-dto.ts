import type { Sample } from '../../../protocols/driver.js';
import type { TagValueDto } from '../../../preload/contract.js';

/** A sample as it crosses the contract. Non-finite numbers have no JSON form: they travel as null with Bad quality. */
export function toTagValueDto(sample: Sample): TagValueDto {
  const { value } = sample;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return {
      tag: sample.tag,
      v: null,
      q: 'Bad',
      r: `non-finite value ${String(value)}`,
      ts: sample.sourceTime,
      rt: sample.receiveTime,
    };
  }
  const dto: TagValueDto = {
    tag: sample.tag,
    v: value,
    q: sample.quality.code,
    ts: sample.sourceTime,
    rt: sample.receiveTime,
  };
  if (sample.quality.reason !== undefined) dto.r = sample.quality.reason;
  return dto;
}
