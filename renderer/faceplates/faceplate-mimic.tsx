/**
 * The mimic's "open faceplate" (a pump, valve or heat exchanger symbol: click, Enter or
 * Space) wired to the faceplate host: the equipment faceplate where the station serves the
 * equipment's tags, otherwise what the mimic does by default. Composes with the actions
 * provided further out (trend, screen), changing only `openFaceplate`.
 */
import { useMemo, type ReactNode } from 'react';
import { useStationSnapshot } from '../app/station-context.js';
import { MimicActionsContext, useMimicActions, type MimicActions } from '../mimic/mimic-actions.js';
import { equipmentFaceplate } from './equipment.js';
import { useFaceplateActions } from './faceplate-context.js';

export function FaceplateMimicActions({ children }: { children: ReactNode }) {
  const outer = useMimicActions();
  const { openEquipmentFaceplate } = useFaceplateActions();
  const { tagsByName } = useStationSnapshot();
  const value = useMemo<MimicActions>(() => {
    const names = new Set(tagsByName.keys());
    return {
      ...outer,
      openFaceplate: (equipment, tags) => {
        if (equipmentFaceplate(equipment, names)) openEquipmentFaceplate(equipment);
        else outer.openFaceplate(equipment, tags);
      },
    };
  }, [outer, openEquipmentFaceplate, tagsByName]);
  return <MimicActionsContext value={value}>{children}</MimicActionsContext>;
}
