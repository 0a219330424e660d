/*
 * dartsc's own WebAssembly SIMD kernels for the tfjs `wasm` backend (see native/README.md).
 *
 * They implement, and must compute the same function as, the composite definitions in
 * src/numerics/ops.ts (denseConv, depthwiseConv, maxPool, avgPool, batchNormTrain): ops.ts is the
 * definition, this file one implementation of it. All tensors are NHWC float32 in the memory
 * of tfjs-backend-wasm, which this module imports; pointers are byte offsets into it.
 *
 * Safety: the module has no data segment and uses no shadow stack (no local arrays, no
 * structs passed by value, no calls that need one), so it never writes outside the tensors it
 * is given. scripts/buildKernels.mjs and src/numerics/ownKernels.ts check both on the binary.
 *
 * Windows: output (oh, ow) reads input rows oh*sh - ph + i*dh and columns ow*sw - pw + j*dw
 * for taps i < kh, j < kw; taps outside the input are padding (zero for convolutions, never
 * the maximum for max pools, excluded or counted as zeros for average pools).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name))) void name

/* The first tap i with start + i*d >= 0. */
static inline int tap_lo(int start, int d) { return start < 0 ? (-start + d - 1) / d : 0; }

/* One past the last tap i < k with start + i*d < n. */
static inline int tap_hi(int start, int d, int n, int k) {
  int room = n - start;
  if (room <= 0) return 0;
  int taps = (room + d - 1) / d;
  return taps < k ? taps : k;
}

static void zero(float *p, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(p + i, wasm_f32x4_splat(0.f));
  for (; i < n; i++) p[i] = 0.f;
}

/* The geometry every windowed kernel takes, in this order. */
#define GEOMETRY                                                                            \
  int B, int H, int W, int C, int Ho, int Wo, int kh, int kw, int sh, int sw, int ph, int pw, \
      int dh, int dw

/* Loops over every output pixel with its valid tap ranges [i0, i1) x [j0, j1). */
#define FOR_EACH_OUTPUT(body)                                           \
  for (int b = 0; b < B; b++) {                                         \
    for (int oh = 0; oh < Ho; oh++) {                                   \
      const int ih0 = oh * sh - ph;                                     \
      const int i0 = tap_lo(ih0, dh), i1 = tap_hi(ih0, dh, H, kh);      \
      for (int ow = 0; ow < Wo; ow++) {                                 \
        const int iw0 = ow * sw - pw;                                   \
        const int j0 = tap_lo(iw0, dw), j1 = tap_hi(iw0, dw, W, kw);    \
        const int px = (b * Ho + oh) * Wo + ow;                         \
        const int o = px * C;                                           \
        (void)px, (void)o;                                              \
        const int base = ((b * H + ih0) * W + iw0) * C;                 \
        body                                                            \
      }                                                                 \
    }                                                                   \
  }

/* Offset of tap (i, j) from `base`, in floats. */
#define TAP(i, j) (((i) * dh * W + (j) * dw) * C)

/* Depthwise convolution: y[o, c] = sum over valid taps of x[tap, c] * f[i, j, c]. */
EXPORT(dw_forward)(const float *x, const float *f, float *y, GEOMETRY) {
  FOR_EACH_OUTPUT({
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      v128_t acc = wasm_f32x4_splat(0.f);
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++)
          acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + base + TAP(i, j) + c),
                                                   wasm_v128_load(f + (i * kw + j) * C + c)));
      wasm_v128_store(y + o + c, acc);
    }
    for (; c < C; c++) {
      float acc = 0.f;
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) acc += x[base + TAP(i, j) + c] * f[(i * kw + j) * C + c];
      y[o + c] = acc;
    }
  })
}

/* Both gradients of the depthwise convolution in one pass: dx = sum dy*f, df = sum dy*x. */
EXPORT(dw_backward)(const float *x, const float *f, const float *dy, float *dx, float *df,
                    GEOMETRY) {
  zero(dx, B * H * W * C);
  zero(df, kh * kw * C);
  FOR_EACH_OUTPUT({
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const v128_t g = wasm_v128_load(dy + o + c);
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          float *pdx = dx + base + TAP(i, j) + c;
          float *pdf = df + (i * kw + j) * C + c;
          const v128_t xv = wasm_v128_load(x + base + TAP(i, j) + c);
          const v128_t fv = wasm_v128_load(f + (i * kw + j) * C + c);
          wasm_v128_store(pdx, wasm_f32x4_add(wasm_v128_load(pdx), wasm_f32x4_mul(g, fv)));
          wasm_v128_store(pdf, wasm_f32x4_add(wasm_v128_load(pdf), wasm_f32x4_mul(g, xv)));
        }
    }
    for (; c < C; c++) {
      const float g = dy[o + c];
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          dx[base + TAP(i, j) + c] += g * f[(i * kw + j) * C + c];
          df[(i * kw + j) * C + c] += g * x[base + TAP(i, j) + c];
        }
    }
  })
}

/*
 * Dense convolution, filter [kh, kw, C, Co]: y[px, co] = sum over valid taps (i, j) and input
 * channels ci of x[tap, ci] * f[i, j, ci, co]. SIMD over output channels: 16 at a time in
 * four accumulators, then 4, then one by one; each output is one sum in tap-major order.
 */
#define DENSE_TAPS(body)                                                                   \
  for (int i = i0; i < i1; i++)                                                            \
    for (int j = j0; j < j1; j++) {                                                        \
      const float *xt = x + base + TAP(i, j);                                              \
      const float *ft = f + (i * kw + j) * C * Co + co;                                    \
      for (int ci = 0; ci < C; ci++) {                                                     \
        const float *fr = ft + ci * Co;                                                    \
        body                                                                               \
      }                                                                                    \
    }

EXPORT(conv_forward)(const float *x, const float *f, float *y, int Co, GEOMETRY) {
  FOR_EACH_OUTPUT({
    float *py = y + px * Co;
    int co = 0;
    for (; co + 16 <= Co; co += 16) {
      v128_t a0 = wasm_f32x4_splat(0.f);
      v128_t a1 = a0;
      v128_t a2 = a0;
      v128_t a3 = a0;
      DENSE_TAPS({
        const v128_t xv = wasm_f32x4_splat(xt[ci]);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xv, wasm_v128_load(fr)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xv, wasm_v128_load(fr + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xv, wasm_v128_load(fr + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xv, wasm_v128_load(fr + 12)));
      })
      wasm_v128_store(py + co, a0);
      wasm_v128_store(py + co + 4, a1);
      wasm_v128_store(py + co + 8, a2);
      wasm_v128_store(py + co + 12, a3);
    }
    for (; co + 4 <= Co; co += 4) {
      v128_t acc = wasm_f32x4_splat(0.f);
      DENSE_TAPS({
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(xt[ci]), wasm_v128_load(fr)));
      })
      wasm_v128_store(py + co, acc);
    }
    for (; co < Co; co++) {
      float acc = 0.f;
      DENSE_TAPS({ acc += xt[ci] * fr[0]; })
      py[co] = acc;
    }
  })
}

static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

/*
 * Both gradients of the dense convolution in one pass over the outputs (in order, so every
 * sum has a fixed order): for each valid tap and input channel, dx[tap, ci] += dy[px, :] .
 * f[i, j, ci, :] (a dot product over the output channels) and df[i, j, ci, :] += x[tap, ci] *
 * dy[px, :].
 */
EXPORT(conv_backward)(const float *x, const float *f, const float *dy, float *dx, float *df,
                      int Co, GEOMETRY) {
  zero(dx, B * H * W * C);
  zero(df, kh * kw * C * Co);
  FOR_EACH_OUTPUT({
    const float *g = dy + px * Co;
    const int co = 0;
    DENSE_TAPS({
      const float xs = xt[ci];
      const v128_t xv = wasm_f32x4_splat(xs);
      float *dfr = df + (fr - f);
      v128_t s = wasm_f32x4_splat(0.f);
      int k = 0;
      for (; k + 4 <= Co; k += 4) {
        const v128_t gv = wasm_v128_load(g + k);
        s = wasm_f32x4_add(s, wasm_f32x4_mul(gv, wasm_v128_load(fr + k)));
        wasm_v128_store(dfr + k, wasm_f32x4_add(wasm_v128_load(dfr + k), wasm_f32x4_mul(xv, gv)));
      }
      float acc = hsum(s);
      for (; k < Co; k++) {
        acc += g[k] * fr[k];
        dfr[k] += xs * g[k];
      }
      dx[(xt - x) + ci] += acc;
    })
  })
}

/*
 * The gradients of a matrix product y = x w (x [M, K], w [K, N]; the forward is XNNPACK's):
 * dx = dy w^T and dw = x^T dy, without transposing anything. dw[k, n] is summed down the rows
 * in order, in registers; dx[m, k] is a dot product of a row of dy with a row of w, four k at
 * a time (their four SIMD partial sums folded into one vector).
 */
EXPORT(mm_backward)(const float *x, const float *w, const float *dy, float *dx, float *dw, int M,
                    int K, int N) {
  for (int k = 0; k < K; k++) {
    int n = 0;
    for (; n + 16 <= N; n += 16) {
      v128_t a0 = wasm_f32x4_splat(0.f);
      v128_t a1 = a0;
      v128_t a2 = a0;
      v128_t a3 = a0;
      for (int m = 0; m < M; m++) {
        const v128_t xv = wasm_f32x4_splat(x[m * K + k]);
        const float *g = dy + m * N + n;
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xv, wasm_v128_load(g)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xv, wasm_v128_load(g + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xv, wasm_v128_load(g + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xv, wasm_v128_load(g + 12)));
      }
      wasm_v128_store(dw + k * N + n, a0);
      wasm_v128_store(dw + k * N + n + 4, a1);
      wasm_v128_store(dw + k * N + n + 8, a2);
      wasm_v128_store(dw + k * N + n + 12, a3);
    }
    for (; n + 4 <= N; n += 4) {
      v128_t acc = wasm_f32x4_splat(0.f);
      for (int m = 0; m < M; m++)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(x[m * K + k]),
                                                 wasm_v128_load(dy + m * N + n)));
      wasm_v128_store(dw + k * N + n, acc);
    }
    for (; n < N; n++) {
      float acc = 0.f;
      for (int m = 0; m < M; m++) acc += x[m * K + k] * dy[m * N + n];
      dw[k * N + n] = acc;
    }
  }
  const int N4 = N & ~3;
  for (int m = 0; m < M; m++) {
    const float *g = dy + m * N;
    int k = 0;
    for (; k + 4 <= K; k += 4) {
      const float *w0 = w + k * N;
      v128_t s0 = wasm_f32x4_splat(0.f);
      v128_t s1 = s0;
      v128_t s2 = s0;
      v128_t s3 = s0;
      for (int n = 0; n < N4; n += 4) {
        const v128_t gv = wasm_v128_load(g + n);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(gv, wasm_v128_load(w0 + n)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(gv, wasm_v128_load(w0 + N + n)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(gv, wasm_v128_load(w0 + 2 * N + n)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(gv, wasm_v128_load(w0 + 3 * N + n)));
      }
      /* Lane j of the result: the sum of the lanes of s_j. */
      const v128_t u01 = wasm_f32x4_add(wasm_i32x4_shuffle(s0, s1, 0, 4, 1, 5),
                                        wasm_i32x4_shuffle(s0, s1, 2, 6, 3, 7));
      const v128_t u23 = wasm_f32x4_add(wasm_i32x4_shuffle(s2, s3, 0, 4, 1, 5),
                                        wasm_i32x4_shuffle(s2, s3, 2, 6, 3, 7));
      v128_t d = wasm_f32x4_add(wasm_i32x4_shuffle(u01, u23, 0, 1, 4, 5),
                                wasm_i32x4_shuffle(u01, u23, 2, 3, 6, 7));
      if (N4 < N) {
        float t0 = 0.f, t1 = 0.f, t2 = 0.f, t3 = 0.f;
        for (int n = N4; n < N; n++) {
          t0 += g[n] * w0[n];
          t1 += g[n] * w0[N + n];
          t2 += g[n] * w0[2 * N + n];
          t3 += g[n] * w0[3 * N + n];
        }
        d = wasm_f32x4_add(d, wasm_f32x4_make(t0, t1, t2, t3));
      }
      wasm_v128_store(dx + m * K + k, d);
    }
    for (; k < K; k++) {
      v128_t s = wasm_f32x4_splat(0.f);
      for (int n = 0; n < N4; n += 4)
        s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(g + n), wasm_v128_load(w + k * N + n)));
      float acc = hsum(s);
      for (int n = N4; n < N; n++) acc += g[n] * w[k * N + n];
      dx[m * K + k] = acc;
    }
  }
}

/* Max pool over the valid taps only (padding never wins). */
EXPORT(maxpool_forward)(const float *x, float *y, GEOMETRY) {
  FOR_EACH_OUTPUT({
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      v128_t best = wasm_v128_load(x + base + TAP(i0, j0) + c);
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++)
          best = wasm_f32x4_max(best, wasm_v128_load(x + base + TAP(i, j) + c));
      wasm_v128_store(y + o + c, best);
    }
    for (; c < C; c++) {
      float best = x[base + TAP(i0, j0) + c];
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          const float v = x[base + TAP(i, j) + c];
          if (v > best) best = v;
        }
      y[o + c] = best;
    }
  })
}

/* Max pool gradient: dy to the first maximum of each window (taps in row-major order). */
EXPORT(maxpool_backward)(const float *x, const float *dy, float *dx, GEOMETRY) {
  zero(dx, B * H * W * C);
  FOR_EACH_OUTPUT({
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const int first = base + TAP(i0, j0) + c;
      v128_t best = wasm_v128_load(x + first);
      v128_t at = wasm_i32x4_splat(first);
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          const int k = base + TAP(i, j) + c;
          const v128_t v = wasm_v128_load(x + k);
          const v128_t wins = wasm_f32x4_gt(v, best);
          best = wasm_v128_bitselect(v, best, wins);
          at = wasm_v128_bitselect(wasm_i32x4_splat(k), at, wins);
        }
      dx[wasm_i32x4_extract_lane(at, 0) + 0] += dy[o + c + 0];
      dx[wasm_i32x4_extract_lane(at, 1) + 1] += dy[o + c + 1];
      dx[wasm_i32x4_extract_lane(at, 2) + 2] += dy[o + c + 2];
      dx[wasm_i32x4_extract_lane(at, 3) + 3] += dy[o + c + 3];
    }
    for (; c < C; c++) {
      int at = base + TAP(i0, j0) + c;
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          const int k = base + TAP(i, j) + c;
          if (x[k] > x[at]) at = k;
        }
      dx[at] += dy[o + c];
    }
  })
}

/* The divisor of an average-pool window: all taps, or only those inside the input. */
static inline float pool_scale(int include_pad, int kh, int kw, int i0, int i1, int j0, int j1) {
  return 1.f / (float)(include_pad ? kh * kw : (i1 - i0) * (j1 - j0));
}

/* Average pool: the sum over the valid taps divided by the window's divisor. */
EXPORT(avgpool_forward)(const float *x, float *y, int include_pad, GEOMETRY) {
  FOR_EACH_OUTPUT({
    const float s = pool_scale(include_pad, kh, kw, i0, i1, j0, j1);
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      v128_t acc = wasm_f32x4_splat(0.f);
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++)
          acc = wasm_f32x4_add(acc, wasm_v128_load(x + base + TAP(i, j) + c));
      wasm_v128_store(y + o + c, wasm_f32x4_mul(acc, wasm_f32x4_splat(s)));
    }
    for (; c < C; c++) {
      float acc = 0.f;
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) acc += x[base + TAP(i, j) + c];
      y[o + c] = acc * s;
    }
  })
}

/* Average pool gradient: dy / divisor to every valid tap of the window. */
EXPORT(avgpool_backward)(const float *dy, float *dx, int include_pad, GEOMETRY) {
  zero(dx, B * H * W * C);
  FOR_EACH_OUTPUT({
    const float s = pool_scale(include_pad, kh, kw, i0, i1, j0, j1);
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const v128_t g = wasm_f32x4_mul(wasm_v128_load(dy + o + c), wasm_f32x4_splat(s));
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) {
          float *p = dx + base + TAP(i, j) + c;
          wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), g));
        }
    }
    for (; c < C; c++) {
      const float g = dy[o + c] * s;
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) dx[base + TAP(i, j) + c] += g;
    }
  })
}

/*
 * Batch norm on x viewed as [M, C]: per channel, the mean and the biased variance over the M
 * rows (two passes). Four channels at a time down the rows, then the remainder one by one.
 */
EXPORT(bn_moments)(const float *x, float *mean, float *var, int M, int C) {
  const float inv = 1.f / (float)M;
  int c = 0;
  for (; c + 4 <= C; c += 4) {
    v128_t s = wasm_f32x4_splat(0.f);
    for (int m = 0; m < M; m++) s = wasm_f32x4_add(s, wasm_v128_load(x + m * C + c));
    const v128_t mu = wasm_f32x4_mul(s, wasm_f32x4_splat(inv));
    v128_t q = wasm_f32x4_splat(0.f);
    for (int m = 0; m < M; m++) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + m * C + c), mu);
      q = wasm_f32x4_add(q, wasm_f32x4_mul(d, d));
    }
    wasm_v128_store(mean + c, mu);
    wasm_v128_store(var + c, wasm_f32x4_mul(q, wasm_f32x4_splat(inv)));
  }
  for (; c < C; c++) {
    float s = 0.f;
    for (int m = 0; m < M; m++) s += x[m * C + c];
    const float mu = s * inv;
    float q = 0.f;
    for (int m = 0; m < M; m++) q += (x[m * C + c] - mu) * (x[m * C + c] - mu);
    mean[c] = mu;
    var[c] = q * inv;
  }
}

/* y = (x - mean) / sqrt(var + eps) * gamma + beta (gamma and beta when `affine`). */
EXPORT(bn_forward)(const float *x, const float *mean, const float *var, const float *gamma,
                   const float *beta, float *y, int M, int C, int affine, float eps) {
  int c = 0;
  for (; c + 4 <= C; c += 4) {
    const v128_t r = wasm_f32x4_div(wasm_f32x4_splat(1.f),
                                    wasm_f32x4_sqrt(wasm_f32x4_add(wasm_v128_load(var + c),
                                                                   wasm_f32x4_splat(eps))));
    const v128_t mu = wasm_v128_load(mean + c);
    const v128_t g = affine ? wasm_v128_load(gamma + c) : wasm_f32x4_splat(1.f);
    const v128_t t = affine ? wasm_v128_load(beta + c) : wasm_f32x4_splat(0.f);
    for (int m = 0; m < M; m++) {
      const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + m * C + c), mu), r);
      wasm_v128_store(y + m * C + c, wasm_f32x4_add(wasm_f32x4_mul(xh, g), t));
    }
  }
  for (; c < C; c++) {
    const float r = 1.f / __builtin_sqrtf(var[c] + eps);
    const float g = affine ? gamma[c] : 1.f, t = affine ? beta[c] : 0.f;
    for (int m = 0; m < M; m++) y[m * C + c] = (x[m * C + c] - mean[c]) * r * g + t;
  }
}

/*
 * The closed-form batch-norm gradient: with x^ = (x - mean)·r and r = 1/sqrt(var + eps),
 * dbeta = sum dy, dgamma = sum dy·x^, dx = r·gamma·(dy − dbeta/M − x^·dgamma/M).
 */
EXPORT(bn_backward)(const float *x, const float *mean, const float *var, const float *gamma,
                    const float *dy, float *dx, float *dgamma, float *dbeta, int M, int C,
                    int affine, float eps) {
  const float inv = 1.f / (float)M;
  int c = 0;
  for (; c + 4 <= C; c += 4) {
    const v128_t r = wasm_f32x4_div(wasm_f32x4_splat(1.f),
                                    wasm_f32x4_sqrt(wasm_f32x4_add(wasm_v128_load(var + c),
                                                                   wasm_f32x4_splat(eps))));
    const v128_t mu = wasm_v128_load(mean + c);
    v128_t sdy = wasm_f32x4_splat(0.f), sdyx = wasm_f32x4_splat(0.f);
    for (int m = 0; m < M; m++) {
      const v128_t g = wasm_v128_load(dy + m * C + c);
      const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + m * C + c), mu), r);
      sdy = wasm_f32x4_add(sdy, g);
      sdyx = wasm_f32x4_add(sdyx, wasm_f32x4_mul(g, xh));
    }
    const v128_t scale = affine ? wasm_f32x4_mul(r, wasm_v128_load(gamma + c)) : r;
    const v128_t a = wasm_f32x4_mul(sdy, wasm_f32x4_splat(inv));
    const v128_t bq = wasm_f32x4_mul(sdyx, wasm_f32x4_splat(inv));
    for (int m = 0; m < M; m++) {
      const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + m * C + c), mu), r);
      const v128_t d = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(dy + m * C + c), a),
                                      wasm_f32x4_mul(xh, bq));
      wasm_v128_store(dx + m * C + c, wasm_f32x4_mul(scale, d));
    }
    if (affine) {
      wasm_v128_store(dgamma + c, sdyx);
      wasm_v128_store(dbeta + c, sdy);
    }
  }
  for (; c < C; c++) {
    const float r = 1.f / __builtin_sqrtf(var[c] + eps);
    float sdy = 0.f, sdyx = 0.f;
    for (int m = 0; m < M; m++) {
      sdy += dy[m * C + c];
      sdyx += dy[m * C + c] * ((x[m * C + c] - mean[c]) * r);
    }
    const float scale = affine ? r * gamma[c] : r;
    for (int m = 0; m < M; m++) {
      const float xh = (x[m * C + c] - mean[c]) * r;
      dx[m * C + c] = scale * (dy[m * C + c] - sdy * inv - xh * (sdyx * inv));
    }
    if (affine) {
      dgamma[c] = sdyx;
      dbeta[c] = sdy;
    }
  }
}
