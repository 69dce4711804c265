// snn_adder_tree: the exact sum of N signed IN_W-bit values (output IN_W + LEVELS bits, so
// nothing overflows), as a balanced tree with a register after every two levels (moving
// when `en` is high).
// Latency = ceil(LEVELS / 2) clocks, LEVELS = ceil(log2(N)); N = 1 is a wire.
`default_nettype none
module snn_adder_tree #(
    parameter N      = 4,
    parameter IN_W   = 8,
    parameter LEVELS = 2               // ceil(log2(N))
) (
    input  wire                          clk,
    input  wire                          en,
    input  wire [N*IN_W-1:0]             x,
    output wire signed [IN_W+LEVELS-1:0] sum
);
    localparam OUT_W = IN_W + LEVELS;
    localparam P2 = 1 << LEVELS;
    genvar l, i;
    generate
        for (l = 0; l <= LEVELS; l = l + 1) begin : level
            localparam COUNT = P2 >> l;
            wire [OUT_W*COUNT-1:0] v;
            if (l == 0) begin : leaves
                for (i = 0; i < COUNT; i = i + 1) begin : leaf
                    if (i < N) begin : value
                        assign v[OUT_W*i +: OUT_W] = {{LEVELS{x[IN_W*i+IN_W-1]}}, x[IN_W*i +: IN_W]};
                    end else begin : pad
                        assign v[OUT_W*i +: OUT_W] = {OUT_W{1'b0}};
                    end
                end
            end else begin : sums
                for (i = 0; i < COUNT; i = i + 1) begin : node
                    wire [OUT_W-1:0] s = level[l-1].v[OUT_W*(2*i) +: OUT_W] + level[l-1].v[OUT_W*(2*i+1) +: OUT_W];
                    if (l % 2 == 0) begin : registered
                        reg [OUT_W-1:0] r;
                        initial r = {OUT_W{1'b0}};
                        always @(posedge clk) if (en) r <= s;
                        assign v[OUT_W*i +: OUT_W] = r;
                    end else begin : combinational
                        assign v[OUT_W*i +: OUT_W] = s;
                    end
                end
            end
        end
        if (LEVELS % 2 == 1) begin : last
            reg [OUT_W-1:0] r;
            initial r = {OUT_W{1'b0}};
            always @(posedge clk) if (en) r <= level[LEVELS].v;
            assign sum = r;
        end else begin : even
            wire unused_clock = clk & en;
            assign sum = level[LEVELS].v;
        end
    endgenerate
endmodule
`default_nettype wire
