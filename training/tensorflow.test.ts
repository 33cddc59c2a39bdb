// The backend choice on this machine: whatever is installed, the first package that loads and
// computes is used, the faster ones passed over say why, and the result is arithmetic that holds.
import { describe, expect, it } from 'vitest';
import { loadTensorflow, TENSORFLOW_PACKAGES } from './tensorflow';

describe('loadTensorflow', () => {
  it('picks the first package that loads and says why each faster one was passed over', async () => {
    const loaded = await loadTensorflow();
    const chosen = TENSORFLOW_PACKAGES.indexOf(loaded.package);
    expect(chosen).toBeGreaterThanOrEqual(0);
    expect(loaded.passedOver.map((entry) => entry.package)).toEqual(TENSORFLOW_PACKAGES.slice(0, chosen));
    for (const entry of loaded.passedOver) expect(entry.reason).not.toBe('');
    expect(loaded.tf.getBackend()).toBe(loaded.backend);
    const sum = loaded.tf.tidy(() => loaded.tf.add(loaded.tf.tensor1d([1, 2]), loaded.tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
    // Kept: the backend is process-wide.
    expect(await loadTensorflow()).toBe(loaded);
  });

  it('runs WebAssembly here (it ships with Frustum; the native packages need libtensorflow)', async () => {
    const wasm = await loadTensorflow({ only: '@tensorflow/tfjs-backend-wasm' });
    expect(wasm.backend).toBe('wasm');
    const product = wasm.tf.tidy(() => wasm.tf.matMul(wasm.tf.ones([3, 4]), wasm.tf.ones([4, 2])).arraySync());
    expect(product).toEqual([[4, 4], [4, 4], [4, 4]]);
  });

  it('names a package that is not installed as such', async () => {
    const loaded = await loadTensorflow();
    for (const entry of loaded.passedOver) {
      if (entry.package === '@tensorflow/tfjs-node' || entry.package === '@tensorflow/tfjs-node-gpu') expect(entry.reason).toMatch(/not installed|libtensorflow|did not register|\.node/);
    }
  });
});
