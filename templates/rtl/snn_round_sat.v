// snn_round_sat: re-express a fixed-point value with fewer (SHIFT > 0, rounding half up on
// the first dropped bit: floor((x + 2^(SHIFT-1)) / 2^SHIFT)) or more (LSHIFT > 0, exact)
// fraction bits, then saturate to OUT_W bits. Combinational; signed in, signed out. A
// SHIFT of at least IN_W rounds every value to 0, as the formula says. ROUNDED = 1: x
// already holds the value plus 2^(SHIFT-1) (added earlier, e.g. on a DSP48E1's post-adder),
// so only the shift and the saturation remain. NEGATE = 1: the value is -x, its negation
// folded into the rounding add (~x + 1 + 2^(SHIFT-1): one carry chain, not two).
`default_nettype none
module snn_round_sat #(
    parameter IN_W   = 16,
    parameter OUT_W  = 8,
    parameter SHIFT  = 0,
    parameter LSHIFT = 0,
    parameter ROUNDED = 0,
    parameter NEGATE = 0
) (
    input  wire signed [IN_W-1:0]  x,
    output wire signed [OUT_W-1:0] y
);
    // Wide enough for the shifted input and for the rounding constant 2^(SHIFT-1).
    localparam W_SHIFTED = IN_W + LSHIFT + 1;
    localparam W = SHIFT + 1 > W_SHIFTED ? SHIFT + 1 : W_SHIFTED;
    wire signed [W-1:0] extended = {{(W - IN_W){x[IN_W-1]}}, x} <<< LSHIFT;
    // -x = ~x + 1: the inverted value here, its 1 added with the rounding constant.
    wire signed [W-1:0] wide = NEGATE != 0 ? ~extended : extended;
    wire signed [W-1:0] shifted;
    generate
        if (SHIFT > 0 && ROUNDED == 0) begin : round
            localparam signed [W-1:0] HALF = {{(W - 1){1'b0}}, 1'b1} <<< (SHIFT - 1);
            localparam signed [W-1:0] ADDEND = NEGATE != 0 ? HALF + 1 : HALF;
            assign shifted = (wide + ADDEND) >>> SHIFT;
        end else if (NEGATE != 0) begin : negated
            assign shifted = (wide + 1'b1) >>> SHIFT;
        end else begin : exact
            assign shifted = wide >>> SHIFT;
        end
        if (W > OUT_W) begin : clamp
            // In range iff every bit from the output's sign up equals the sign: a reduction
            // of the top bits (one LUT level for up to six), not a comparison (a carry chain).
            wire [W-OUT_W:0] top = shifted[W-1:OUT_W-1];
            wire in_range = &top || ~|top;
            localparam [OUT_W-1:0] MAX = {1'b0, {(OUT_W - 1){1'b1}}};
            localparam [OUT_W-1:0] MIN = {1'b1, {(OUT_W - 1){1'b0}}};
            assign y = in_range ? shifted[OUT_W-1:0] : shifted[W-1] ? MIN : MAX;
        end else begin : extend
            assign y = {{(OUT_W - W){shifted[W-1]}}, shifted};
        end
    endgenerate
endmodule
`default_nettype wire
