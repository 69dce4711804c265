// snn_mul: a product rounded and saturated to OUT_W bits, in four registered stages
// (latency 4, clocks with `en` high), each at most two adders deep:
//   [1] the operands: a DSP48E1's A and B registers (nothing in front of the slice's
//       multiplier but its own registers);
//   [2] m = a·b: the slice's M register;
//   [3] p = m + 2^(SHIFT-1), the rounding constant: the slice's post-adder and P register;
//   [4] y = sat(p >>> SHIFT) (LSHIFT > 0: p <<< LSHIFT, exact), in LUTs.
// USE_DSP = "no", and any product of fewer than 9 bits (too small to spend a DSP48E1 on),
// builds the product from LUTs as radix-4 Booth rows (which no tool maps to a DSP slice):
// [1] registers the operands, [2] the sums of the rows in groups of three (the rounding
// constant and the rows' sign corrections one more row), [3] the sum of the groups.
`default_nettype none
module snn_mul #(
    parameter A_W     = 8,
    parameter B_W     = 8,
    parameter OUT_W   = 8,
    parameter SHIFT   = 0,
    parameter LSHIFT  = 0,
    parameter USE_DSP = "yes"
) (
    input  wire                    clk,
    input  wire                    en,
    input  wire signed [A_W-1:0]   a,
    input  wire signed [B_W-1:0]   b,
    output reg  signed [OUT_W-1:0] y
);
    localparam W = A_W + B_W;
    // Wide enough for the product plus the rounding constant.
    localparam PW = SHIFT + 1 > W + 1 ? SHIFT + 1 : W + 1;
    localparam [PW-1:0] HALF = SHIFT > 0 ? {{(PW - 1){1'b0}}, 1'b1} << (SHIFT - 1) : {PW{1'b0}};
    reg signed [PW-1:0] p;
    initial p = {PW{1'b0}};
    // [1] The operands.
    reg signed [A_W-1:0] a_r;
    reg signed [B_W-1:0] b_r;
    initial begin
        a_r = {A_W{1'b0}};
        b_r = {B_W{1'b0}};
    end
    always @(posedge clk) begin
        if (en) begin
            a_r <= a;
            b_r <= b;
        end
    end
    // The LUT variant's constant row: the rounding constant less 2^(row_w-1)·4^j for each of
    // `digits` Booth rows (their sign bits are stored inverted).
    function [PW-1:0] rows_constant(input integer digits, input integer row_w);
        integer j;
        begin
            rows_constant = HALF;
            for (j = 0; j < digits; j = j + 1)
                rows_constant = rows_constant - ({{(PW - 1){1'b0}}, 1'b1} << (row_w - 1 + 2 * j));
        end
    endfunction
    generate
        if (USE_DSP == "no" || A_W + B_W < 9) begin : luts
            // Radix-4 Booth rows: the narrower operand y, recoded into digits
            // d_j = -2·y[2j+1] + y[2j] + y[2j-1] in {-2..2}, selects a row d_j·x·4^j of the
            // other operand x. A row is x or 2x (X_W + 1 bits), inverted when d_j < 0, with
            // the inversion's +1 a bit of the next row; its sign bit is inverted and the
            // rows' -2^X_W·4^j gathered with the rounding constant into one constant row.
            localparam X_W = B_W > A_W ? B_W : A_W;
            localparam Y_W = B_W > A_W ? A_W : B_W;
            localparam DIGITS = (Y_W + 1) / 2;
            localparam ROW_W = X_W + 1;
            localparam ROWS = DIGITS + 1;
            localparam GROUPS = (ROWS + 2) / 3;
            wire signed [X_W-1:0] x;
            wire signed [Y_W-1:0] y_op;
            if (B_W > A_W) begin : b_wider
                assign x = b_r;
                assign y_op = a_r;
            end else begin : a_wider
                assign x = a_r;
                assign y_op = b_r;
            end
            // y sign-extended, below it the implicit y[-1] = 0: digit j reads y_bits[2j +: 3].
            wire [2*DIGITS:0] y_bits = {{(2 * DIGITS + 1 - Y_W){y_op[Y_W-1]}}, y_op[Y_W-2:0], 1'b0};
            wire [ROW_W-1:0] x_once = {x[X_W-1], x};
            wire [ROW_W-1:0] x_twice = {x, 1'b0};
            localparam [PW-1:0] CONSTANT = rows_constant(DIGITS, ROW_W);
            wire [DIGITS-1:0] negative;
            wire [PW*3*GROUPS-1:0] rows;
            genvar j, g;
            for (j = 0; j < DIGITS; j = j + 1) begin : digit
                wire [2:0] d = y_bits[2*j +: 3];
                wire once = d[0] ^ d[1];
                wire twice = d == 3'b011 || d == 3'b100;
                assign negative[j] = d[2] & ~(d[1] & d[0]);
                wire [ROW_W-1:0] magnitude = once ? x_once : twice ? x_twice : {ROW_W{1'b0}};
                wire [ROW_W-1:0] signed_row = negative[j] ? ~magnitude : magnitude;
                wire [ROW_W-1:0] row = {~signed_row[ROW_W-1], signed_row[ROW_W-2:0]};
                // The previous digit's +1 two places below this row.
                wire [PW-1:0] carry_in = j > 0 ? {{(PW - 1){1'b0}}, negative[j-1]} << (2 * j - 2) : {PW{1'b0}};
                assign rows[PW*j +: PW] = ({{(PW - ROW_W){1'b0}}, row} << (2 * j)) | carry_in;
            end
            assign rows[PW*DIGITS +: PW] = CONSTANT + ({{(PW - 1){1'b0}}, negative[DIGITS-1]} << (2 * DIGITS - 2));
            if (3 * GROUPS > ROWS) begin : pad
                assign rows[PW*ROWS +: PW*(3*GROUPS-ROWS)] = {(PW*(3*GROUPS-ROWS)){1'b0}};
            end
            // [2] Each group of three rows: one level of 3:2 compressors and an adder.
            wire [PW*GROUPS-1:0] sums;
            for (g = 0; g < GROUPS; g = g + 1) begin : group
                (* use_dsp = "no" *) reg [PW-1:0] sum;
                initial sum = {PW{1'b0}};
                always @(posedge clk)
                    if (en) sum <= rows[PW*(3*g) +: PW] + rows[PW*(3*g+1) +: PW] + rows[PW*(3*g+2) +: PW];
                assign sums[PW*g +: PW] = sum;
            end
            // [3] The groups' sums (modulo 2^PW: the product and the constant fit).
            integer k;
            reg [PW-1:0] total;
            always @* begin
                total = {PW{1'b0}};
                for (k = 0; k < GROUPS; k = k + 1) total = total + sums[PW*k +: PW];
            end
            always @(posedge clk) if (en) p <= total;
        end else begin : dsp
            // [2] The M register, [3] the post-adder into the P register.
            (* use_dsp = "yes" *) reg signed [W-1:0] m;
            initial m = {W{1'b0}};
            always @(posedge clk) begin
                if (en) begin
                    m <= a_r * b_r;
                    p <= {{(PW - W){m[W-1]}}, m} + HALF;
                end
            end
        end
    endgenerate
    // [4] The shift and the saturation (the rounding constant is in p).
    wire signed [OUT_W-1:0] rounded;
    snn_round_sat #(.IN_W(PW), .OUT_W(OUT_W), .SHIFT(SHIFT), .LSHIFT(LSHIFT), .ROUNDED(1)) round_sat (
        .x(p), .y(rounded)
    );
    initial y = {OUT_W{1'b0}};
    always @(posedge clk) if (en) y <= rounded;
endmodule
`default_nettype wire
