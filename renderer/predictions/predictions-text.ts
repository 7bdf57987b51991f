/** The predictions screens' words (model registry, plant outlook), in English and Simplified Chinese. */
import { defineMessages } from '../i18n/i18n.js';

export const predictionsText = defineMessages(
  {
    importButton: 'Import package…',
    importTitle: 'Import a model package',
    importHint:
      'Pick the manifest (.model.yaml) and its .onnx file together (the model at most {max} MiB). The station checks the package as it does at load — hash, opset, shapes, a dry run — before it stores anything, and stores it as a new version. It does not run until you activate it.',
    importFiles: 'Manifest and model file',
    importSend: 'Check and import',
    importClose: 'Close',
    importSending: 'Sending the package… {pct} %',
    importChecking: 'Checking the package…',
    importNeedTwo: 'Pick two files: the manifest (.model.yaml) and the model (.onnx).',
    importNeedManifest: 'No manifest among the files: its name ends in .model.yaml.',
    importNeedOnnx: 'No model among the files: its name ends in .onnx.',
    importDone: 'Imported {name} version {version}: not running until activated (running now: {running}).',
    importNothingRunning: 'no version',
    importRefused: 'Import refused, nothing was stored: {message}',
    importUploadFailed: 'The upload failed, nothing was stored: {message}',
    signalsHeader: 'Contributing signals',
    signalHigh: 'high',
    signalLow: 'low',
    signalsNone: 'worked out when the class reaches its watch level',
    signalsDrop:
      'Without this signal’s deviation (its window replaced by its training mean) the probability falls by {drop} percentage points',
    signalsAsOf: 'as of {time}',
  },
  {
    importButton: '导入模型包…',
    importTitle: '导入模型包',
    importHint:
      '请同时选择清单文件(.model.yaml)及其 .onnx 模型文件(模型文件最大 {max} MiB)。站点先按加载时的方式检查模型包(哈希、算子集版本、张量形状、试运行),检查通过后才保存,并保存为新版本。激活之前不会运行。',
    importFiles: '清单和模型文件',
    importSend: '检查并导入',
    importClose: '关闭',
    importSending: '正在发送模型包… {pct} %',
    importChecking: '正在检查模型包…',
    importNeedTwo: '请选择两个文件:清单(.model.yaml)和模型(.onnx)。',
    importNeedManifest: '所选文件中没有清单:清单文件名以 .model.yaml 结尾。',
    importNeedOnnx: '所选文件中没有模型:模型文件名以 .onnx 结尾。',
    importDone: '已导入 {name} 版本 {version}:激活之前不会运行(当前运行:{running})。',
    importNothingRunning: '无',
    importRefused: '导入被拒绝,未保存任何文件:{message}',
    importUploadFailed: '上传失败,未保存任何文件:{message}',
    signalsHeader: '主要相关信号',
    signalHigh: '偏高',
    signalLow: '偏低',
    signalsNone: '该类别达到关注水平时才计算',
    signalsDrop: '将该信号的窗口替换为训练均值后,概率下降 {drop} 个百分点',
    signalsAsOf: '截至 {time}',
  },
);
