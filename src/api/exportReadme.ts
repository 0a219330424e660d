import { basename } from 'node:path';

import type { SearchConfig } from '../elaborate/searchConfig.js';

/** A spec name as Markdown code (backticks in it cannot end the span). */
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/**
 * The README of an exported PyTorch program: what is in the folder, and the commands that
 * run it alone, under torchrun on one GPU, on several GPUs and on several machines (SLURM).
 */
export function exportReadme(spec: string, space: string, config: SearchConfig): string {
  const run = 'program.py search --data data --out out';
  return `# DARTS search of ${code(space)}, exported by dartsc

Exported by \`dartsc export ${basename(spec).replace(/`/g, "'")} --target pytorch\`. The program searches
exactly what \`dartsc run --engine pytorch\` searches: the same network, initial weights
and α (\`data/init.*\`), batches, seeds, optimisers and schedule (${config.epochs} epochs, batch
${config.batch}, ${config.order}-order, seed ${config.seed}). It needs Python 3 with PyTorch >= 1.13 and numpy.

| file | what |
| --- | --- |
| \`program.py\` | the supernet, the DARTS bilevel loop and its data-parallel step (torch.distributed) |
| \`data/x.npy\`, \`data/y.npy\` | the samples, written by dartsc's loaders (channels last) |
| \`data/splits.json\` | the train (weights), valid (α) and held-out indices |
| \`data/init.json\`, \`data/init.bin\` | the initial weights and α, as \`dartsc run\` draws them |

Rank 0 writes \`out/metrics.jsonl\` (one line per epoch), \`out/alphas.json\` (α, as dartsc
writes them) and \`out/state/epoch-NNN.*\` (weights, α and optimiser state).

## Run

One process (CPU):

    python3 ${run}

One GPU:

    torchrun --standalone --nproc_per_node 1 ${run} --device cuda

Several GPUs of one machine (each batch is split between them; batch-norm statistics are
each process's own, as with DistributedDataParallel without SyncBatchNorm):

    torchrun --standalone --nproc_per_node 4 ${run} --device cuda

Several machines: start the same command on every machine, naming the first one:

    torchrun --nnodes 2 --nproc_per_node 4 --rdzv_backend c10d --rdzv_endpoint HOST:29500 ${run} --device cuda

With SLURM (a job script; one torchrun per node):

    #!/bin/bash
    #SBATCH --nodes=2
    #SBATCH --ntasks-per-node=1
    #SBATCH --gpus-per-node=4
    HEAD=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
    srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node 4 \\
      --rdzv_id "$SLURM_JOB_ID" --rdzv_backend c10d --rdzv_endpoint "$HEAD:29500" \\
      ${run} --device cuda

Without torchrun, start one process per rank with the env:// variables yourself:

    MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2 RANK=0 python3 ${run} &
    MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2 RANK=1 python3 ${run}

\`--epochs N\` and \`--steps N\` (steps per epoch) override the exported settings.

## Back in dartsc

    dartsc derive ${basename(spec).replace(/`/g, "'")} --alphas out/alphas.json

derives the genotype from the α the search wrote; \`dartsc train --genotype\` retrains it.
`;
}
