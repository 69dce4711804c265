// snn_round_sat: re-express a fixed-point value with fewer (SHIFT > 0, rounding half up on
// the first dropped bit: floor((x + 2^(SHIFT-1)) / 2^SHIFT)) or more (LSHIFT > 0, exact)
// fraction bits, then saturate to OUT_W bits. Combinational; signed in, signed out. A
// SHIFT of at least IN_W rounds every value to 0, as the formula says. ROUNDED = 1: x
// already holds the value plus 2^(SHIFT-1) (added earlier, e.g. on a DSP48E1's post-adder),
// so only the shift and the saturation remain.
`default_nettype none
module snn_round_sat #(
    parameter IN_W   = 16,
    parameter OUT_W  = 8,
    parameter SHIFT  = 0,
    parameter LSHIFT = 0,
    parameter ROUNDED = 0
) (
    input  wire signed [IN_W-1:0]  x,
    output wire signed [OUT_W-1:0] y
);
    // Wide enough for the shifted input and for the rounding constant 2^(SHIFT-1).
    localparam W_SHIFTED = IN_W + LSHIFT + 1;
    localparam W = SHIFT + 1 > W_SHIFTED ? SHIFT + 1 : W_SHIFTED;
    wire signed [W-1:0] wide = {{(W - IN_W){x[IN_W-1]}}, x} <<< LSHIFT;
    wire signed [W-1:0] shifted;
    generate
        if (SHIFT > 0 && ROUNDED == 0) begin : round
            wire signed [W-1:0] half = {{(W - 1){1'b0}}, 1'b1} <<< (SHIFT - 1);
            assign shifted = (wide + half) >>> SHIFT;
        end else if (SHIFT > 0) begin : rounded
            assign shifted = wide >>> SHIFT;
        end else begin : exact
            assign shifted = wide;
        end
        if (W > OUT_W) begin : clamp
            localparam signed [W-1:0] MAX = {{(W - OUT_W + 1){1'b0}}, {(OUT_W - 1){1'b1}}};
            localparam signed [W-1:0] MIN = {{(W - OUT_W + 1){1'b1}}, {(OUT_W - 1){1'b0}}};
            assign y = shifted > MAX ? MAX[OUT_W-1:0] : shifted < MIN ? MIN[OUT_W-1:0] : shifted[OUT_W-1:0];
        end else begin : extend
            assign y = {{(OUT_W - W){shifted[W-1]}}, shifted};
        end
    endgenerate
endmodule
`default_nettype wire
