// snn_mul: a product rounded and saturated to OUT_W bits, in two registered stages: the full
// product (maps to a DSP48E1 with its M register), then rounding and saturation.
// Latency 2. USE_DSP = "no" asks synthesis to build it from LUTs.
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
    input  wire signed [A_W-1:0]   a,
    input  wire signed [B_W-1:0]   b,
    output reg  signed [OUT_W-1:0] y
);
    (* use_dsp = USE_DSP *) reg signed [A_W+B_W-1:0] product;
    wire signed [OUT_W-1:0] rounded;
    snn_round_sat #(.IN_W(A_W + B_W), .OUT_W(OUT_W), .SHIFT(SHIFT), .LSHIFT(LSHIFT)) round_sat (
        .x(product), .y(rounded)
    );
    initial begin
        product = {(A_W + B_W){1'b0}};
        y = {OUT_W{1'b0}};
    end
    always @(posedge clk) begin
        product <= a * b;
        y <= rounded;
    end
endmodule
`default_nettype wire
