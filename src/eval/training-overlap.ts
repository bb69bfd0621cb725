import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A data file the measured model was trained on: its figures are in-sample, so optimistic. */
export interface TrainingOverlap {
  /** The data file as the user named it. */
  file: string;
  /** Its name in the model's training record, and how many of its rows training used. */
  trainingFile: string;
  rowsUsed: number;
}

interface TrainingFileRecord {
  file: string;
  sha256: string;
  rowsUsed: number;
}

/** The training files of a model manifest's `training` record (as the training script writes it). */
function trainingFilesOf(training: unknown): TrainingFileRecord[] {
  const files = (training as { files?: unknown } | null | undefined)?.files;
  if (!Array.isArray(files)) return [];
  return files.filter(
    (f): f is TrainingFileRecord =>
      typeof f === 'object' && f !== null && typeof f.file === 'string' && typeof f.sha256 === 'string' && typeof f.rowsUsed === 'number',
  );
}

async function sha256Of(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    // Unreadable: the evaluation itself reports it.
    return undefined;
  }
  return hash.digest('hex');
}

/**
 * Which of `files` are, byte for byte, files the model was trained on (by the SHA-256 its
 * manifest records), counting only those training actually drew rows from.
 */
export async function findTrainingOverlap(files: readonly { name: string; path: string }[], training: unknown): Promise<TrainingOverlap[]> {
  const known = new Map(trainingFilesOf(training).filter((f) => f.rowsUsed > 0).map((f) => [f.sha256, f]));
  if (known.size === 0) return [];
  const out: TrainingOverlap[] = [];
  for (const f of files) {
    const digest = await sha256Of(f.path);
    const record = digest != null ? known.get(digest) : undefined;
    if (record) out.push({ file: f.name, trainingFile: record.file, rowsUsed: record.rowsUsed });
  }
  return out;
}
