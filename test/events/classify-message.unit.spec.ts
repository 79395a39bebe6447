import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../src/events/classify-message.ts';

describe('classifyMessage: the message shapes of docs/attune-logs.md §3', () => {
  it.each([
    ['Event:Starting_Startup', [{ type: 'procedure_started', procedure: 'Startup' }]],
    ['Event:Starting_Sample Recovery', [{ type: 'procedure_started', procedure: 'Sample Recovery' }]],
    ['Instrument function Startup executing line 12', [{ type: 'step', function: 'Startup', line: 12 }]],
    ['Instrument function Sample Recovery executing line 0', [{ type: 'step', function: 'Sample Recovery', line: 0 }]],
    ['Instrument function Instrument Idle executing line 1', [{ type: 'instrument_idle' }]],
    ['Event:Startup_Done~0', [{ type: 'procedure_done', procedure: 'Startup', code: '0' }]],
    ['Event:Sample Recovery_Done~FUNCTION_CANCELLED', [{ type: 'procedure_done', procedure: 'Sample Recovery', code: 'FUNCTION_CANCELLED' }]],
    ['Event:Acquisition_Done~-3', [{ type: 'procedure_done', procedure: 'Acquisition', code: '-3' }]],
    ['Event:Power On Self-test_Done~0', [{ type: 'procedure_done', procedure: 'Power On Self-test', code: '0' }]],
    ['Event:Acquisition StopSampleAcquisition', [{ type: 'stop_requested', procedure: 'Acquisition' }]],
    ['Entered InstrumentFunctionManager::StopAction() during -- Sample Recovery -- STOPPING.', [{ type: 'stop_requested', procedure: 'Sample Recovery' }]],
    ['User Action required to continue-action="Raise tube lifter"', [{ type: 'user_action_required', action: 'Raise tube lifter' }]],
    ['_CheckAcqPrereqsAndExecute() - Necessary User Actions Completed-executing function', [{ type: 'user_action_completed' }]],
    ['Acquisition initiated', [{ type: 'acquisition_initiated', well: null }]],
    ['Acquisition initiated on well B7 Preload 0', [{ type: 'acquisition_initiated', well: 'B7' }]],
    ['Acquisition initiated on well p24 Preload', [{ type: 'acquisition_initiated', well: 'P24' }]],
    ['Data:New Bubble Detected at  185', [{ type: 'bubble_detected', position: 185 }]],
    ['BUBBLE SIZE GREATER THAN THRESHOLD!!!', [{ type: 'large_bubble' }]],
    ['Data:Instrument_Serial_Number~2AFC229870320', [{ type: 'instrument_fact', key: 'Instrument_Serial_Number', value: '2AFC229870320' }]],
    ['Data:Laser_3_Serial_Number~"T20040405"', [{ type: 'instrument_fact', key: 'Laser_3_Serial_Number', value: '"T20040405"' }]],
    ['Data:Rotary_Valve_Move_Count~', [{ type: 'instrument_fact', key: 'Rotary_Valve_Move_Count', value: '' }]],
    ['Qc Engine Initialized', [{ type: 'qc_started', kind: 'qc_engine', beadlot: null }]],
    ['Initiating Baseline with beadlot: 08AB7946-264D', [{ type: 'qc_started', kind: 'baseline', beadlot: '08AB7946-264D' }]],
    ['File Saved signal received;0;AttuneAppController::OnListmodeFileSavedSignal', [{ type: 'fcs_file_saved' }]],
  ])('%j', (message, expected) => {
    expect(classifyMessage(message, '')).toEqual(expected);
  });

  it('takes the user of login and logout from the user column', () => {
    expect(classifyMessage('login', 'jsmith')).toEqual([{ type: 'login', user: 'jsmith' }]);
    expect(classifyMessage('logout', 'jsmith')).toEqual([{ type: 'logout', user: 'jsmith' }]);
  });

  it('splits glued messages after a completion code (digits or [A-Za-z_])', () => {
    expect(classifyMessage('Event:Rinse_Done~0Line Calibration initiated', '')).toEqual([{ type: 'procedure_done', procedure: 'Rinse', code: '0' }]);
    expect(classifyMessage('Event:Rinse_Done~0Event:Starting_Calibration', '')).toEqual([
      { type: 'procedure_done', procedure: 'Rinse', code: '0' },
      { type: 'procedure_started', procedure: 'Calibration' },
    ]);
    expect(classifyMessage('Event:Rinse_Done~-12Instrument function Rinse executing line 3', '')).toEqual([
      { type: 'procedure_done', procedure: 'Rinse', code: '-12' },
      { type: 'step', function: 'Rinse', line: 3 },
    ]);
    expect(classifyMessage('Event:Debubble_Done~FUNCTION_CANCELLED 42 more', '')).toEqual([{ type: 'procedure_done', procedure: 'Debubble', code: 'FUNCTION_CANCELLED' }]);
  });

  it.each([
    'Startup initiated',
    'Rinse initiated',
    ' Processing nID = 31204;0;CAttuneMainFrame::OnInstrumentRibbonCommandRange',
    'Data:Laser 1 Powered',
    'Data: AUTO SAMPLER SERIAL NUMBER=2000000000000;',
    'Unable to update cache or save FCS file information to database.;0;AttuneAppController::OnListmodeFileSavedSignal',
    'Instrument status correct to enable function',
    'Instrument function Rinse executing line x',
    'Event:Something else',
    '',
  ])('gives nothing for %j', (message) => {
    expect(classifyMessage(message, 'jsmith')).toEqual([]);
  });
});
