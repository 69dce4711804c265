// snn_rowgen: the row address of every bank for clash-free patterns of types 2 and 3:
// in clock k of sweep s, bank b reads row (seed[s][b] + k) mod D — one small adder per bank.
// `first` marks slot 0 of a pass, `advance` every slot; rows come out registered, one clock
// after their slot. SEEDS holds one word of Z rows per sweep (bank 0 in the low bits).
// Everything moves when `en` is high.
`default_nettype none
module snn_rowgen #(
    parameter Z       = 4,
    parameter D       = 4,
    parameter ROW_W   = 2,
    parameter SWEEPS  = 2,
    parameter SWEEP_W = 1,
    parameter SEEDS   = ""
) (
    input  wire               clk,
    input  wire               en,
    input  wire               first,
    input  wire               advance,
    output reg  [Z*ROW_W-1:0] rows
);
    reg [Z*ROW_W-1:0] seed [0:SWEEPS-1];
    reg [ROW_W-1:0] k;
    reg [SWEEP_W-1:0] sweep;
    integer i;
    initial begin
        for (i = 0; i < SWEEPS; i = i + 1) seed[i] = {(Z * ROW_W){1'b0}};
        if (SEEDS != "") $readmemh(SEEDS, seed);
        k = {ROW_W{1'b0}};
        sweep = {SWEEP_W{1'b0}};
        rows = {(Z * ROW_W){1'b0}};
    end
    wire [ROW_W-1:0] k_now = first ? {ROW_W{1'b0}} : k;
    wire [SWEEP_W-1:0] sweep_now = first ? {SWEEP_W{1'b0}} : sweep;
    wire [Z*ROW_W-1:0] seeds_now = seed[sweep_now];
    localparam [ROW_W:0] DEPTH = D;
    genvar b;
    generate
        for (b = 0; b < Z; b = b + 1) begin : bank
            wire [ROW_W:0] sum = {1'b0, seeds_now[ROW_W*b +: ROW_W]} + {1'b0, k_now};
            // Below 2·D, so one conditional subtraction reduces it (modulo 2^ROW_W is exact).
            wire [ROW_W-1:0] row = sum >= DEPTH ? sum[ROW_W-1:0] - DEPTH[ROW_W-1:0] : sum[ROW_W-1:0];
            always @(posedge clk) if (en) rows[ROW_W*b +: ROW_W] <= row;
        end
    endgenerate
    wire last_row = {1'b0, k_now} == DEPTH - 1'b1;
    always @(posedge clk) begin
        if (en && advance) begin
            k <= last_row ? {ROW_W{1'b0}} : k_now + 1'b1;
            sweep <= last_row ? sweep_now + 1'b1 : sweep_now;
        end
    end
endmodule
`default_nettype wire
