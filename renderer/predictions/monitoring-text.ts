/** Texts of a model's monitoring in the registry (realized forecast error, warnings raised), in both languages. */
import { defineMessages } from '../i18n/i18n.js';

export const monitoringText = defineMessages(
  {
    title: 'Last 24 h in the plant',
    label: '{name} monitoring over the last 24 h',
    output: 'Output',
    horizon: '{n} min ahead',
    realized: 'Realized error (24 h)',
    card: 'Card error',
    state: 'State',
    notEnoughData: 'not enough data yet',
    noCardFigure: 'not on the card',
    samples: '{n} forecasts checked',
    degraded: '▲ DEGRADED',
    degradedHint: 'The realized error is more than 1.5 × the card’s: check the model before trusting its forecasts.',
    withinCard: 'within the card',
    noCheck: 'No output of this forecast names the tag it forecasts: its error cannot be measured.',
    warnings24h: 'Warnings raised (24 h)',
  },
  {
    title: '最近 24 小时现场表现',
    label: '{name} 最近 24 小时监测',
    output: '输出',
    horizon: '提前 {n} 分钟',
    realized: '实际误差（24 小时）',
    card: '模型卡误差',
    state: '状态',
    notEnoughData: '数据尚不足',
    noCardFigure: '模型卡未给出',
    samples: '已核对 {n} 个预测',
    degraded: '▲ 性能下降',
    degradedHint: '实际误差超过模型卡误差的 1.5 倍：在信任其预测之前请先检查模型。',
    withinCard: '在模型卡范围内',
    noCheck: '该预测的输出未指明所预测的位号：无法测量其误差。',
    warnings24h: '已发出的预警（24 小时）',
  },
);
