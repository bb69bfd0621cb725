/** Rows of a sparse matrix in CSR form: row r spans [rowPtr[r], rowPtr[r+1]) of idx/val. */
export interface SparseMatrix {
  rows: number;
  rowPtr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}
