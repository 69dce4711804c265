// snn_mul: a product rounded and saturated to OUT_W bits, in two registered stages: the full
// product (maps to a DSP48E1 with its M register), then rounding and saturation.
// Latency 2 (clocks with `en` high). USE_DSP = "no" builds the product from LUTs: written as
// rows of shifted partial products, which no tool maps to a DSP slice.
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
    wire signed [A_W+B_W-1:0] product;
    wire signed [OUT_W-1:0] rounded;
    snn_round_sat #(.IN_W(A_W + B_W), .OUT_W(OUT_W), .SHIFT(SHIFT), .LSHIFT(LSHIFT)) round_sat (
        .x(product), .y(rounded)
    );
    // The product register carries the synthesis attribute (Vivado honours it on signals).
    generate
        if (USE_DSP == "no") begin : luts
            // Rows of shifted partial products, each one adder on the bits it reaches:
            // a·b = Σ_{i < B_W−1} b_i·a·2^i − b_{B_W−1}·a·2^(B_W−1) (b in two's complement).
            localparam W = A_W + B_W;
            genvar i;
            for (i = 0; i < B_W; i = i + 1) begin : partial
                // The sum of the rows so far (row i adds at bit i), and this row's partial
                // product, sign-extended to the bits it adds.
                wire [W-1:0] sum;
                wire [W-i-1:0] pp;
                if (i == B_W - 1) begin : top_row
                    assign pp = b[i] ? {a[A_W-1], a} : {(A_W + 1){1'b0}};
                end else begin : other_row
                    assign pp = b[i] ? {{(B_W - i){a[A_W-1]}}, a} : {(W - i){1'b0}};
                end
                if (i == 0) begin : first
                    assign sum = B_W == 1 ? -pp : pp;
                end else begin : next
                    wire [W-1:0] prev = partial[i-1].sum;
                    wire [W-i-1:0] high = i == B_W - 1 ? prev[W-1:i] - pp : prev[W-1:i] + pp;
                    assign sum = {high, prev[i-1:0]};
                end
            end
            (* use_dsp = "no" *) reg signed [A_W+B_W-1:0] p;
            initial p = {(A_W + B_W){1'b0}};
            always @(posedge clk) if (en) p <= partial[B_W-1].sum;
            assign product = p;
        end else begin : dsp
            (* use_dsp = "yes" *) reg signed [A_W+B_W-1:0] p;
            initial p = {(A_W + B_W){1'b0}};
            always @(posedge clk) if (en) p <= a * b;
            assign product = p;
        end
    endgenerate
    initial y = {OUT_W{1'b0}};
    always @(posedge clk) if (en) y <= rounded;
endmodule
`default_nettype wire
