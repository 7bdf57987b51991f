/** The mimic's own words (state texts, hints); project texts (labels) come from the project file. */
import { defineMessages } from '../i18n/i18n.js';

export const mimicText = defineMessages(
  {
    run: 'RUN',
    stop: 'STOP',
    trip: 'TRIP',
    unknown: '?',
    open: 'OPEN',
    closed: 'CLOSED',
    moving: 'MOVING',
    on: 'ON',
    off: 'OFF',
    positionOpen: 'open',
    flowing: 'flowing',
    noFlow: 'no flow',
    activateFaceplate: 'Click or Enter: faceplate',
    activateTrend: 'Click or Enter: trend',
    goTo: 'Go to {screen}',
    stateOf: '{label}: {state}',
    drawingProblem: 'This drawing could not be shown',
  },
  {
    run: '运行',
    stop: '停止',
    trip: '跳闸',
    unknown: '?',
    open: '开',
    closed: '关',
    moving: '动作中',
    on: '开',
    off: '关',
    positionOpen: '开度',
    flowing: '流动',
    noFlow: '无流动',
    activateFaceplate: '单击或回车：面板',
    activateTrend: '单击或回车：趋势',
    goTo: '转到 {screen}',
    stateOf: '{label}：{state}',
    drawingProblem: '此图无法显示',
  },
);
export type MimicTextKey = keyof (typeof mimicText)['en'];
